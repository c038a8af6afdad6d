#!/usr/bin/env bash
# Makes dist/ruralstat_<version>_<arch>.deb with dpkg-deb from a built binary (what `make deb`
# runs after the static release build):
#   packaging/build-deb.sh BINARY GENERATE_MANUAL OUT_DIR
# BINARY is ruralstat built with --static-swift-stdlib; GENERATE_MANUAL is
# swift-argument-parser's generate-manual tool, which writes a man page per command from the
# command-line definitions. The version is the binary's own (`ruralstat --version`, written
# once in Sources/ruralstat/RuralStat.swift); packaging/debian/changelog must agree with it.
set -euo pipefail

binary=$1 generate_manual=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
debian=$here/debian

version=$("$binary" --version)
changelog_version=$(dpkg-parsechangelog -l "$debian/changelog" -S Version)
if [ "$version" != "$changelog_version" ]; then
  echo "build-deb: ruralstat --version says $version but packaging/debian/changelog's latest entry is $changelog_version;" >&2
  echo "           add a changelog entry for $version (dch -v $version, or by hand)." >&2
  exit 1
fi
arch=$(dpkg --print-architecture)
# Every date in the package (file times, the man pages' date) is the changelog's: the same
# sources give the same package.
export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l "$debian/changelog" -S Timestamp)
release_day=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
umask 022

# The binary, stripped as dh_strip does (it carries no debug package).
install -D -m755 "$binary" "$root/usr/bin/ruralstat"
strip --remove-section=.comment --remove-section=.note "$root/usr/bin/ruralstat"

# The form and the report definitions.
install -d "$root/usr/share/ruralstat/templates" "$root/usr/share/ruralstat/reports"
install -m644 "$repo"/templates/*.yaml "$repo/templates/README.md" "$root/usr/share/ruralstat/templates/"
install -m644 "$repo"/reports/*.yaml "$repo/reports/README.md" "$root/usr/share/ruralstat/reports/"

# The units (Debian 12 keeps them in /lib/systemd/system): the daemon's, and the backup's and
# the mail sender's, which postinst leaves disabled; with /usr paths and the man page of the
# command each runs as their documentation. Then the users and folders.
install -d "$root/lib/systemd/system" "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d"
# Every unit of systemd/: one added there is packaged without a change here.
for unit in $(cd "$repo/systemd" && ls *.service *.timer *.path); do
  case $unit in
    ruralstat-backup.*) page=ruralstat-backup ;;
    ruralstat-mail.*) page=ruralstat-mail ;;
    *) page=ruralstat-serve ;;
  esac
  sed -e 's|/usr/local|/usr|g' \
      -e "s|^Documentation=.*|Documentation=man:$page(1) man:ruralstat(1) file:///usr/share/doc/ruralstat/README.md|" \
      "$repo/systemd/$unit" > "$root/lib/systemd/system/$unit"
  chmod 644 "$root/lib/systemd/system/$unit"
done
install -m644 "$repo/systemd/sysusers.d/ruralstat.conf" "$root/usr/lib/sysusers.d/ruralstat.conf"
install -m644 "$repo/systemd/tmpfiles.d/ruralstat.conf" "$root/usr/lib/tmpfiles.d/ruralstat.conf"

# The configuration: a conffile (DEBIAN/conffiles), so an upgrade never overwrites the
# admin's; readable by the service user, which the unit runs the daemon as.
install -d "$root/etc/ruralstat"
sed 's|/usr/local|/usr|g' "$repo/systemd/ruralstat.yaml" > "$root/etc/ruralstat/ruralstat.yaml"
chmod 644 "$root/etc/ruralstat/ruralstat.yaml"

# A man page per command and subcommand, from the command-line definitions.
man=$root/usr/share/man/man1
install -d "$man"
"$generate_manual" "$binary" --multi-page --date "$release_day" --section 1 \
  --authors 'ruralstat maintainers<maintainers@users.noreply.h-seed-d01ff49d.example>' \
  --output-directory "$man"
# generate-manual names a subcommand's page ruralstat.serve(1) and calls it "ruralstat serve"
# in NAME, which neither `man ruralstat-serve` nor whatis (lexgrog) finds. Debian's (and git's)
# way: the page ruralstat-serve(1), named so in NAME and in the references, its SYNOPSIS
# showing the command as typed. The built-in `help` command's page says nothing --help does not.
rm -f "$man/ruralstat.help.1"
for page in "$man"/ruralstat.*.1; do
  dotted=$(basename "$page" .1)
  name=${dotted//./-} words=${dotted//./ }
  sed -e "s/^\.Dt [^ ]*/.Dt ${name^^}/" \
      -e "s/^\.Nm \"$words\"\$/.Nm $name/" \
      -e "/^\.Sh SYNOPSIS/,/^\.Sh/s/^\.Nm\$/.Nm \"$words\"/" \
      "$page" > "$man/$name.1"
  rm "$page"
done
# A blank line (between paragraphs of a command's discussion) is a paragraph break in mdoc.
sed -i -e 's/^$/.Pp/' -e '/^\.Xr ruralstat\.help /d' -e '/^\.Xr ruralstat\./{s/\./-/g; s/^-Xr/.Xr/}' "$man"/*.1
[ -f "$man/ruralstat.1" ] && [ -f "$man/ruralstat-serve.1" ] || {
  echo "build-deb: generate-manual wrote no ruralstat.1 or ruralstat-serve.1 in $man" >&2; exit 1; }
gzip -9n "$man"/*.1

# Bash completion, from the same definitions.
install -d "$root/usr/share/bash-completion/completions"
# The script's #! line goes: bash-completion sources it, never runs it.
"$binary" --generate-completion-script bash | sed '1{/^#!/d}' > "$root/usr/share/bash-completion/completions/ruralstat"
grep -q 'complete .*ruralstat' "$root/usr/share/bash-completion/completions/ruralstat"

# lintian's overrides: each says why (and README.md's Debian section too).
install -D -m644 "$debian/lintian-overrides" "$root/usr/share/lintian/overrides/ruralstat"

# The documentation: copyright, the changelog (compressed, as policy asks), the README.
doc=$root/usr/share/doc/ruralstat
install -d "$doc"
install -m644 "$debian/copyright" "$doc/copyright"
# ruralstat is a native package (its version has no Debian revision): the changelog is
# changelog.gz, as policy 12.7 and lintian ask.
gzip -9nc "$debian/changelog" > "$doc/changelog.gz"
install -m644 "$repo/README.md" "$doc/README.md"

# Control: Depends as dpkg-shlibdeps finds them in the binary (libc, libxlsxwriter, libzip,
# SQLite…), and systemd for systemd-sysusers, systemd-tmpfiles and the unit itself.
mkdir -p "$work/shlibs/debian"
printf 'Source: ruralstat\n\nPackage: ruralstat\nArchitecture: any\n' > "$work/shlibs/debian/control"
shlibs=$(cd "$work/shlibs" && dpkg-shlibdeps -O "$root/usr/bin/ruralstat" 2> "$work/shlibdeps.err") || {
  cat "$work/shlibdeps.err" >&2; exit 1; }
depends="${shlibs#shlibs:Depends=}, systemd"
size=$(du -k -s --apparent-size --exclude=DEBIAN "$root" | cut -f1)

install -d -m755 "$root/DEBIAN"
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@SIZE@|$size|" -e "s|@DEPENDS@|$depends|" \
  "$debian/control.in" > "$root/DEBIAN/control"
install -m644 "$debian/conffiles" "$root/DEBIAN/conffiles"
install -m755 "$debian/postinst" "$debian/prerm" "$debian/postrm" "$root/DEBIAN/"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) \
  > "$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/md5sums"

find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$out"
deb=$out/ruralstat_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" > /dev/null
echo "$deb"

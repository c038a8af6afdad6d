#!/usr/bin/env bash
# The Debian package on this machine, for real (`make deb-check`, run in CI; as root, on a
# machine where ruralstat is not installed):
#   packaging/check-deb.sh dist/ruralstat_<version>_<arch>.deb
#  1. lintian: no error, and every warning it gives is explained in the README;
#  2. dpkg -i: the user, groups and folders made, the unit enabled (and running, where systemd
#     is PID 1), the backup and mail units installed and left disabled, every unit loaded by
#     systemd-analyze without a warning and every service rated at most 1.0, the configuration
#     a conffile, the man pages and the completion found;
#  3. the daemon, as the ruralstat user, on the installed configuration and folders: a file
#     dropped in a unit's inbox is answered, archived or rejected, recorded and reported;
#  4. reinstalling keeps an edited configuration, and the mail units an admin enabled;
#  5. dpkg -r leaves the configuration and the data; dpkg -P removes /etc/ruralstat and every
#     unit's enablement, and leaves the data, the user and the groups; a new installation leaves
#     the mail units disabled again; RURALSTAT_PURGE_DATA=yes dpkg -P removes the data too.
# It refuses to run where ruralstat or its folders already are: it installs, removes and
# purges the package, and deletes the folders it made.
set -euo pipefail

deb=$(realpath "$1")
repo=$(cd "$(dirname "$0")/.." && pwd)
export DEBIAN_FRONTEND=noninteractive
fail() { echo "deb-check: FAILED: $*" >&2; exit 1; }
step() { echo "deb-check: $*"; }
checks=0
ok() { checks=$((checks + 1)); }

[ "$(id -u)" = 0 ] || fail "run as root (it installs the package)"
if dpkg-query -W -f='${Status}' ruralstat 2> /dev/null | grep -qv 'not-installed'; then
  fail "ruralstat is installed here already (dpkg -l ruralstat): purge it first; this check installs and purges it"
fi
for d in /etc/ruralstat /srv/ruralstat /var/lib/ruralstat; do
  [ ! -e "$d" ] || fail "$d exists: this check would delete it at the end; move it away first"
done
need=()
command -v lintian > /dev/null || need+=(lintian)
command -v man > /dev/null || need+=(man-db)
/usr/bin/python3 -c 'import openpyxl' 2> /dev/null || need+=(python3-openpyxl)   # fills the form a clerk would
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" > /dev/null
fi

version=$(dpkg-deb -f "$deb" Version)

# 1. lintian.
step "lintian $(basename "$deb")"
lintian_out=$(lintian --tag-display-limit 0 --show-overrides "$deb" 2>&1) || true
printf '%s\n' "$lintian_out" | sed 's/^/  /'
if printf '%s\n' "$lintian_out" | grep -q '^E: '; then fail "lintian reports errors"; fi
if printf '%s\n' "$lintian_out" | grep -qvE '^([WIPNXO]: |$)|root privileges'; then fail "lintian did not run cleanly"; fi
section=$(awk '/^## / { inside = ($0 ~ /^## The Debian package/) } inside' "$repo/README.md")
[ -n "$section" ] || fail "README.md has no '## The Debian package' section"
# The README's Debian section names each warning lintian gives and each tag the package
# overrides (O:), in backquotes.
for tag in $(printf '%s\n' "$lintian_out" | sed -n 's/^[WO]: ruralstat[^:]*: \([a-z0-9-]*\).*/\1/p' | sort -u); do
  printf '%s\n' "$section" | grep -qF "\`$tag\`" || fail "lintian gives $tag, which README.md's Debian section does not explain"
  ok
done
ok

# 2. dpkg -i.
step "installing what the package depends on: $(dpkg-deb -f "$deb" Depends)"
apt-get satisfy -y -qq --no-install-recommends "$(dpkg-deb -f "$deb" Depends)" > /dev/null ||
  { apt-get update -qq && apt-get satisfy -y -qq --no-install-recommends "$(dpkg-deb -f "$deb" Depends)" > /dev/null; }
step "dpkg -i"
dpkg -i "$deb"
[ "$(dpkg-query -W -f='${Status} ${Version}' ruralstat)" = "install ok installed $version" ] || fail "dpkg does not list ruralstat $version as installed"
[ "$(ruralstat --version)" = "$version" ] || fail "ruralstat --version says $(ruralstat --version), the package is $version"
[ "$(command -v ruralstat)" = /usr/bin/ruralstat ] || fail "ruralstat is not /usr/bin/ruralstat"
ok
# No Swift toolchain library is needed: every library the binary loads is a package's.
while read -r lib; do
  dpkg -S "$lib" > /dev/null 2>&1 || dpkg -S "$(realpath "$lib")" > /dev/null 2>&1 ||
    fail "/usr/bin/ruralstat loads $lib, which no package ships"
done < <(ldd /usr/bin/ruralstat | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p')
ok

id ruralstat > /dev/null || fail "no ruralstat user"
for g in ruralstat ruralstat-submit ruralstat-managers; do getent group "$g" > /dev/null || fail "no $g group"; done
id -nG ruralstat | tr ' ' '\n' | grep -qx ruralstat-submit || fail "the ruralstat user is not in ruralstat-submit"
ok
expect_dir() { # path mode owner group
  [ -d "$1" ] || fail "$1 was not made"
  [ "$(stat -c '%a %U %G' "$1")" = "$2 $3 $4" ] || fail "$1 is $(stat -c '%a %U %G' "$1"), not $2 $3 $4"
  ok
}
expect_dir /srv/ruralstat/inbox 2750 ruralstat ruralstat-submit
expect_dir /srv/ruralstat/feedback 2750 ruralstat ruralstat-submit
expect_dir /srv/ruralstat/reports 2750 ruralstat ruralstat-managers
expect_dir /srv/ruralstat/archive 700 ruralstat ruralstat
expect_dir /var/lib/ruralstat 700 ruralstat ruralstat

dpkg-query -W -f='${Conffiles}\n' ruralstat | grep -q '^ /etc/ruralstat/ruralstat.yaml ' || fail "/etc/ruralstat/ruralstat.yaml is not a conffile"
grep -q '^schema: /usr/share/ruralstat/templates/quarterly-v1.yaml' /etc/ruralstat/ruralstat.yaml || fail "the configuration does not name /usr/share/ruralstat's schema"
grep -q '^ExecStart=/usr/bin/ruralstat serve' /lib/systemd/system/ruralstat.service || fail "the unit does not run /usr/bin/ruralstat"
[ -L /etc/systemd/system/multi-user.target.wants/ruralstat.service ] || fail "the unit was not enabled"
ok
# The backup and mail units: installed, running /usr/bin/ruralstat, left disabled (the mail ones
# need a mail: section first; README, "Running under systemd").
units=$(cd "$repo/systemd" && ls *.service *.timer *.path)
for unit in $units; do
  [ -f "/lib/systemd/system/$unit" ] || fail "/lib/systemd/system/$unit is not installed"
  ok
done
grep -q '^ExecStart=/usr/bin/ruralstat backup ' /lib/systemd/system/ruralstat-backup.service || fail "the backup unit does not run /usr/bin/ruralstat"
grep -q '^ExecStart=/usr/bin/ruralstat mail send --config /etc/ruralstat/ruralstat.yaml$' /lib/systemd/system/ruralstat-mail.service ||
  fail "the mail unit does not run /usr/bin/ruralstat mail send"
disabled_units_enabled() { find /etc/systemd/system -name 'ruralstat-backup.*' -o -name 'ruralstat-mail.*'; }
[ -z "$(disabled_units_enabled)" ] || fail "units shipped disabled were enabled or masked: $(disabled_units_enabled)"
ok
# Every unit as systemd reads it: no warning (an unknown key would be ignored silently), and
# every service rated at most 1.0 by systemd-analyze security.
verify=$(systemd-analyze verify $(for unit in $units; do echo "/lib/systemd/system/$unit"; done) 2>&1) ||
  fail "systemd-analyze verify: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify: $verify"
for unit in /lib/systemd/system/ruralstat*.service; do
  exposure=$(systemd-analyze security --offline=yes "$unit" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
  awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 1.0) }' || fail "$unit: exposure ${exposure:-unknown}, above 1.0"
  step "$(basename "$unit"): exposure $exposure"
  ok
done
if [ -d /run/systemd/system ]; then
  systemctl is-active --quiet ruralstat || fail "systemd runs here but ruralstat was not started: $(systemctl status ruralstat 2>&1 | tail -5)"
  step "systemd is running: the unit was started ($(systemctl show -p StatusText --value ruralstat))"
  for unit in ruralstat-backup.timer ruralstat-mail.path ruralstat-mail.timer; do
    ! systemctl is-active --quiet "$unit" || fail "$unit was started (it is shipped disabled)"
  done
  ok
else
  step "systemd is not PID 1 here: the unit is enabled, not started (as postinst says)"
fi

# Every command's man page, found and rendered (man-db's own index, as `man` finds them);
# ruralstat-backup and ruralstat-mail are the backup and mail units' Documentation=.
mandb -q 2> /dev/null || true
for page in ruralstat ruralstat-serve ruralstat-init ruralstat-validate ruralstat-status ruralstat-period ruralstat-backup ruralstat-mail; do
  man -w "$page" > /dev/null || fail "man -w $page finds nothing"
  ok
done
man -P cat ruralstat-serve 2> /dev/null | grep -q -- '--once' || fail "man ruralstat-serve does not describe --once"
man -P cat ruralstat 2> /dev/null | grep -q 'ruralstat-serve' || fail "man ruralstat does not point to its subcommands' pages"
ok
bash -c 'source /usr/share/bash-completion/completions/ruralstat && complete -p ruralstat' > /dev/null || fail "the bash completion does not load"
ok

# 3. The daemon on the installed layout, as the unit runs it (the ruralstat user and its
# groups, umask 027, the shipped configuration): unit HDG's form for last quarter, filled as a
# clerk would, and a blank one from unit KMO, dropped in their folders. The first is accepted,
# the second refused with the cells to fill; both are answered and recorded, and the reports
# are published for the managers.
step "serve --once as the ruralstat user on /etc/ruralstat/ruralstat.yaml"
as_service() { runuser -u ruralstat -- sh -c 'umask 027 && exec "$@"' sh "$@"; }
as_service ruralstat serve --once --config /etc/ruralstat/ruralstat.yaml   # makes the unit folders
[ -d /srv/ruralstat/inbox/HDG ] && [ -d /srv/ruralstat/inbox/KMO ] || fail "serve did not make the unit folders inbox/HDG and inbox/KMO"
period=$(date -d '-3 months' +%Y)-Q$(( ($(date -d '-3 months' +%-m) - 1) / 3 + 1 ))
ruralstat template --period "$period" --unit HDG --config /etc/ruralstat/ruralstat.yaml --out /srv/ruralstat/inbox/HDG/bao-cao-HDG.xlsx > /dev/null
ruralstat template --period "$period" --unit KMO --config /etc/ruralstat/ruralstat.yaml --out /srv/ruralstat/inbox/KMO/bao-cao-KMO.xlsx > /dev/null
/usr/bin/python3 - /srv/ruralstat/inbox/HDG/bao-cao-HDG.xlsx << 'PY'
import datetime, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
cover, indicators = book["Thông tin chung"], book["Chỉ tiêu"]
cover["B9"], cover["B11"] = "Nguyễn Thị Lan", datetime.date.today()
indicators["E5"], indicators["E6"], indicators["E16"] = 12, 340, 0
book.save(sys.argv[1])
PY
chown ruralstat:ruralstat-submit /srv/ruralstat/inbox/*/bao-cao-*.xlsx
touch -d '-10 minutes' /srv/ruralstat/inbox/*/bao-cao-*.xlsx   # settled long ago
log=$(mktemp)
as_service ruralstat serve --once --config /etc/ruralstat/ruralstat.yaml 2> "$log" || { cat "$log" >&2; fail "serve --once failed"; }
sed 's/^/  /' "$log"
grep -q 'verdict=accepted.*unit=HDG\|unit=HDG.*verdict=accepted' "$log" || fail "HDG's filled form was not accepted"
grep -q 'verdict=rejected.*unit=KMO\|unit=KMO.*verdict=rejected' "$log" || fail "KMO's blank form was not refused"
rm -f "$log"
[ -z "$(find /srv/ruralstat/inbox /srv/ruralstat/work -type f)" ] || fail "files left in inbox/ or work/: $(find /srv/ruralstat/inbox /srv/ruralstat/work -type f)"
[ -n "$(find /srv/ruralstat/archive -type f -name '*bao-cao-HDG*')" ] || fail "HDG's file is not in archive/"
[ -n "$(find /srv/ruralstat/rejected -type f -name '*bao-cao-KMO*')" ] || fail "KMO's file is not in rejected/"
[ -n "$(find /srv/ruralstat/feedback/HDG -type f -name '*.txt')" ] && [ -n "$(find /srv/ruralstat/feedback/KMO -type f -name '*loi.txt')" ] ||
  fail "no answer in feedback/HDG or feedback/KMO"
[ -n "$(find /var/lib/ruralstat -type f)" ] || fail "no database in /var/lib/ruralstat"
status=$(as_service ruralstat status --period "$period" --json --config /etc/ruralstat/ruralstat.yaml)
printf '%s' "$status" | /usr/bin/python3 -c 'import json, sys
units = {u["code"]: u["state"] for u in json.load(sys.stdin)["units"]}
sys.exit(0 if units["HDG"] in ("accepted", "late") and units["KMO"] == "rejected" and units["CLI"] == "missing" else 1)' ||
  fail "ruralstat status does not say HDG accepted, KMO rejected, CLI missing: $status"
reports=$(find /srv/ruralstat/reports -type f -name '*.xlsx' | wc -l)
[ "$reports" -ge 4 ] || fail "$reports reports published in /srv/ruralstat/reports, not the 4 of /usr/share/ruralstat/reports"
# What the daemon writes belongs to the group that reads it (tmpfiles.d's setgid folders).
[ -z "$(find /srv/ruralstat/reports -mindepth 1 \! -group ruralstat-managers)" ] ||
  fail "not readable by ruralstat-managers: $(find /srv/ruralstat/reports -mindepth 1 \! -group ruralstat-managers -printf '%p (%g) ')"
[ -z "$(find /srv/ruralstat/feedback -mindepth 1 \! -group ruralstat-submit)" ] ||
  fail "not readable by ruralstat-submit: $(find /srv/ruralstat/feedback -mindepth 1 \! -group ruralstat-submit -printf '%p (%g) ')"
step "HDG's form accepted, KMO's refused and answered, both recorded; $reports reports published"
ok

# 4. An upgrade (the same package again: dpkg runs the upgrade path) keeps the admin's
# configuration, and the mail units the admin enabled stay enabled.
echo '# edited by the admin' >> /etc/ruralstat/ruralstat.yaml
systemctl enable ruralstat-mail.path ruralstat-mail.timer > /dev/null 2>&1 || fail "systemctl enable ruralstat-mail.path ruralstat-mail.timer failed"
mail_links="/etc/systemd/system/paths.target.wants/ruralstat-mail.path /etc/systemd/system/timers.target.wants/ruralstat-mail.timer"
for link in $mail_links; do [ -L "$link" ] || fail "systemctl enable made no $link"; done
dpkg -i "$deb" > /dev/null
tail -1 /etc/ruralstat/ruralstat.yaml | grep -q 'edited by the admin' || fail "reinstalling overwrote the edited configuration"
[ ! -e /etc/ruralstat/ruralstat.yaml.dpkg-new ] || fail "reinstalling left ruralstat.yaml.dpkg-new"
for link in $mail_links; do [ -L "$link" ] || fail "reinstalling disabled what the admin enabled: $link is gone"; done
ok

# 5. Remove, then purge.
step "dpkg -r"
dpkg -r ruralstat > /dev/null
[ "$(dpkg-query -W -f='${Status}' ruralstat)" = "deinstall ok config-files" ] || fail "after dpkg -r: $(dpkg-query -W -f='${Status}' ruralstat)"
for f in /usr/bin/ruralstat /usr/share/ruralstat /usr/share/man/man1/ruralstat.1.gz /usr/lib/tmpfiles.d/ruralstat.conf \
         $(for unit in $units; do echo "/lib/systemd/system/$unit"; done); do
  [ ! -e "$f" ] || fail "$f is still there after dpkg -r"
done
grep -q 'edited by the admin' /etc/ruralstat/ruralstat.yaml || fail "dpkg -r removed the configuration"
[ -n "$(find /srv/ruralstat/archive /srv/ruralstat/rejected -type f)" ] && [ -d /var/lib/ruralstat ] || fail "dpkg -r removed the data"
ok
step "dpkg -P"
dpkg -P ruralstat > /dev/null
dpkg-query -W -f='${Status}' ruralstat 2> /dev/null | grep -qv 'not-installed' && fail "ruralstat is still known to dpkg after dpkg -P"
[ ! -e /etc/ruralstat ] || fail "/etc/ruralstat is still there after dpkg -P"
[ -z "$(find /etc/systemd/system -name 'ruralstat*')" ] ||
  fail "units' enablement or masks are still there after dpkg -P: $(find /etc/systemd/system -name 'ruralstat*')"
[ -n "$(find /srv/ruralstat/archive /srv/ruralstat/rejected -type f)" ] || fail "dpkg -P removed the archived files"
[ -n "$(ls -A /var/lib/ruralstat)" ] || fail "dpkg -P removed the database"
id ruralstat > /dev/null && getent group ruralstat-submit > /dev/null || fail "dpkg -P removed the user or groups (the README says they stay)"
ok
step "dpkg -i, then RURALSTAT_PURGE_DATA=yes dpkg -P"
dpkg -i "$deb" > /dev/null
[ -n "$(find /srv/ruralstat/archive /srv/ruralstat/rejected -type f)" ] || fail "reinstalling lost the data kept by the purge"
[ -z "$(disabled_units_enabled)" ] || fail "a new installation after a purge enabled units shipped disabled: $(disabled_units_enabled)"
RURALSTAT_PURGE_DATA=yes dpkg -P ruralstat > /dev/null
for d in /etc/ruralstat /srv/ruralstat /var/lib/ruralstat; do
  [ ! -e "$d" ] || fail "$d is still there after RURALSTAT_PURGE_DATA=yes dpkg -P"
done
ok

echo "deb-check: $checks passed, 0 failed"

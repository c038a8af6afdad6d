#!/usr/bin/env bash
# Builds the reader fuzzer into .build/fuzz/reader-fuzz (libFuzzer + AddressSanitizer).
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build/fuzz
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -g -O)
swiftc "${flags[@]}" -emit-module -emit-library -static -module-name CellModel \
  -emit-module-path "$out/CellModel.swiftmodule" -o "$out/libCellModel.a" Sources/CellModel/*.swift
swiftc "${flags[@]}" -enable-testing -emit-module -emit-library -static -module-name XLSX -I "$out" \
  -I Sources/CZip -I Sources/CXlsxWriter -enable-upcoming-feature InternalImportsByDefault \
  -emit-module-path "$out/XLSX.swiftmodule" -o "$out/libXLSX.a" $(find Sources/XLSX -name '*.swift')
swiftc "${flags[@]}" -I "$out" -I Sources/CZip -I Sources/CXlsxWriter Fuzz/ReaderFuzz.swift \
  -L "$out" -lXLSX -lCellModel -lzip -lxlsxwriter -o "$out/reader-fuzz"
echo "$out/reader-fuzz"

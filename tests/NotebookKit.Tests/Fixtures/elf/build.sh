#!/usr/bin/env bash
# Rebuilds the tiny ELF fixtures for the libstdc++ weak-version tests (needs gcc; the outputs are committed).
#
#   fake-libstdcxx.so  soname libstdc++.so.6; defines versions GLIBCXX_3.4.32 and GLIBCXX_3.4.99
#   libversiononly.so  needs libstdc++.so.6 GLIBCXX_3.4.32 only through a versioning-only reference to
#                      std::ios_base_library_init() (what GCC 13's <iostream> emits; no relocation uses it)
#   librealuse.so      calls nbkit_new_function@GLIBCXX_3.4.99: a real dependency that must not be patched
#   libplain.so        needs nothing newer than GLIBCXX_3.4
# The two libraries that need the fake versions are linked against the fake, but at run time they resolve
# libstdc++.so.6 to the system's copy: exactly the situation of TorchSharp on Debian 12.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

cat > "$work/fake.map" <<'MAP'
GLIBCXX_3.4.32 { global: _ZSt21ios_base_library_initv; };
GLIBCXX_3.4.99 { global: nbkit_new_function; } GLIBCXX_3.4.32;
MAP
cat > "$work/fake.c" <<'C'
void _ZSt21ios_base_library_initv(void) {}
int nbkit_new_function(void) { return 42; }
C
gcc -shared -fPIC -O2 -s -Wl,-soname,libstdc++.so.6 -Wl,--version-script="$work/fake.map" -o fake-libstdcxx.so "$work/fake.c"
mkdir -p "$work/lib" && cp fake-libstdcxx.so "$work/lib/libstdc++.so"

cat > "$work/versiononly.c" <<'C'
__asm__(".globl _ZSt21ios_base_library_initv");
int nbkit_fixture_answer(void) { return 7; }
C
gcc -shared -fPIC -O2 -s -nostdlib -o libversiononly.so "$work/versiononly.c" -L"$work/lib" -Wl,--no-as-needed -lstdc++

cat > "$work/realuse.c" <<'C'
int nbkit_new_function(void);
int nbkit_fixture_answer(void) { return nbkit_new_function(); }
C
gcc -shared -fPIC -O2 -s -nostdlib -o librealuse.so "$work/realuse.c" -L"$work/lib" -Wl,--no-as-needed -lstdc++

cat > "$work/plain.cc" <<'C'
#include <stdexcept>
extern "C" int nbkit_fixture_answer(int n) { if (n < 0) throw std::runtime_error("negative"); return n; }
C
g++ -shared -fPIC -O2 -s -o libplain.so "$work/plain.cc"

for f in libversiononly.so librealuse.so libplain.so; do echo "== $f"; readelf -V "$f" | sed -n '/Version needs/,$p' | grep -E "File|Name" ; done

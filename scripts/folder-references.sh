#!/usr/bin/env bash
# Which folders of src/SkillsHub.Server refer to which (a `using SkillsHub.Server.X;`, a qualified
# SkillsHub.Server.X.Name or X.Name), and which project references which: for spotting back-references
# and cycles (issue #20). Prints "A -> B" lines; a pair printed both ways is a back-reference, which is
# reported at the end and makes the script exit 1 (tests/SkillsHub.Deploy.Tests runs it).
cd "$(dirname "$0")/.." || exit 1
echo "# projects"
for p in src/*/*.csproj; do
  for r in $(grep -o 'ProjectReference Include="[^"]*"' "$p" | sed 's/.*\\\([^\\]*\)\.csproj"/\1/'); do
    echo "$(basename "$p" .csproj) -> $r"
  done
done
echo "# folders of SkillsHub.Server"
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
cd src/SkillsHub.Server || exit 1
folders=$(find . -mindepth 1 -maxdepth 1 -type d ! -name bin ! -name obj ! -name web ! -name Properties ! -name node_modules | sed 's|./||' | sort)
for d in $folders; do
  for o in $folders; do
    [ "$o" = "$d" ] && continue
    if grep -rqE "using SkillsHub\.Server\.$o;|SkillsHub\.Server\.$o\.|[^A-Za-z.]$o\.[A-Z]" --include=*.cs "$d"; then echo "$d -> $o" | tee -a "$edges"; fi
  done
done
# A folder imported for the whole project (`global using SkillsHub.Server.X;` in a root file such as
# GlobalUsings.cs: Platform, the shared kernel) counts as referred to by every other folder, so it must
# refer to none of them.
for g in $(cat ./*.cs 2>/dev/null | sed -n 's/^global using SkillsHub\.Server\.\([A-Za-z]*\);.*/\1/p'); do
  for d in $folders; do
    [ "$d" = "$g" ] && continue
    grep -qx "$d -> $g" "$edges" || echo "$d -> $g" | tee -a "$edges"
  done
done
status=0
while read -r a _ b; do
  if [ "$a" \< "$b" ] && grep -qx "$b -> $a" "$edges"; then
    echo "back-reference: $a <-> $b" >&2
    status=1
  fi
done < "$edges"
exit $status

#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks for SkillsHub, and nothing when it is all there:
#   postgresql         server binaries (initdb, pg_ctl) for the private PostgreSQL the app and tests start
#   fonts-wqy-microhei a CJK font, so Chinese text renders in pages, screenshots and PDFs
#   fonts-hanazono     the rarely used Chinese characters (CJK Extensions A-F) some names hold, for certificate PDFs
#   fonts-babelstone-han  most of CJK Extensions G and H, which HanaMin does not cover, for the same
#   fonts-noto-color-emoji  member flags on the live boards
#   chromium           Debian's headless browser for the browser tests (only with --browser)
#   poppler-utils      pdftotext/pdftoppm, with which the tests read certificate PDFs and their QR codes (only with --browser)
#   nginx-light        nginx -t of the deployment's nginx configurations in the deploy tests (only with --browser)
#   openssl            a throwaway TLS certificate for that nginx -t (only with --browser; usually present already)
# Node modules are not installed here: `npm ci` runs from the committed lock file during `dotnet build`.
set -euo pipefail

want_browser=false
[[ "${1:-}" == "--browser" ]] && want_browser=true

missing=()
have_postgres=false
command -v initdb >/dev/null 2>&1 && have_postgres=true
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && have_postgres=true
$have_postgres || missing+=(postgresql)
# The font list is read whole into a variable and matched there: `fc-list | grep -q` under pipefail
# fails when grep stops reading early and fc-list dies of SIGPIPE, so an installed font counted as missing.
fonts="$(fc-list 2>/dev/null || true)"
fonts="${fonts,,}"
[[ $fonts == *wqy* || $fonts == *"noto sans cjk"* || $fonts == *"noto serif cjk"* ]] || missing+=(fonts-wqy-microhei)
[[ $fonts == *hanamin* ]] || missing+=(fonts-hanazono)
[[ $fonts == *"babelstone han"* ]] || missing+=(fonts-babelstone-han)
[[ $fonts == *"color emoji"* ]] || missing+=(fonts-noto-color-emoji)
if $want_browser && [[ ! -x /usr/bin/chromium ]]; then missing+=(chromium); fi
if $want_browser && ! command -v pdftoppm >/dev/null 2>&1; then missing+=(poppler-utils); fi
if $want_browser && ! command -v nginx >/dev/null 2>&1 && [[ ! -x /usr/sbin/nginx ]]; then missing+=(nginx-light); fi
if $want_browser && ! command -v openssl >/dev/null 2>&1; then missing+=(openssl); fi

command -v dotnet >/dev/null 2>&1 || { echo "The .NET 10 SDK is required (https://dot.net)." >&2; exit 1; }
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "Installing missing packages: ${missing[*]}"
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

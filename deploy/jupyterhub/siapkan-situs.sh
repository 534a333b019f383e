#!/usr/bin/env bash
# Bring up the SPP-TIK training site on one Debian/Ubuntu server, as root, from the checkout.
#
#   sudo deploy/jupyterhub/siapkan-situs.sh --kohort /srv/spptik/kohort-padang \
#        --fasilitator pelatih1 [--roster peserta.csv --nama "Padang, 10–14 Mei 2022"] \
#        [--exchange /srv/nbgrader/exchange] [--port 8000] [--kartu /root/kartu-akun.csv] [--dry-run]
#
# 1. system packages (python3-venv, nodejs, npm), the project's .venv and the proxy (make hub-setup)
# 2. the cohort (spptik init) when --roster is given and the folder does not exist yet
# 3. spptik situs siapkan: accounts from the roster (passwords to the trainer-only card),
#    the exchange folder, permissions, /proc with hidepid=2 (now and in /etc/fstab),
#    /etc/spptik/situs.env (mode 600: the only place secrets are written) and the systemd unit spptik-hub
# Messages are in Indonesian; the logic is in autograder/site/setup.py (with hub.py, exchange.py).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SPPTIK="$REPO/.venv/bin/spptik"

usage() {
  sed -n '4,6p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

gagal() { echo "Gagal: $*" >&2; exit 2; }

KOHORT="" FASILITATOR="" ROSTER="" NAMA="" EXCHANGE="" PORT="" KARTU="" DRY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --kohort) KOHORT="${2:?}"; shift 2 ;;
    --fasilitator) FASILITATOR="${2:?}"; shift 2 ;;
    --roster) ROSTER="${2:?}"; shift 2 ;;
    --nama) NAMA="${2:?}"; shift 2 ;;
    --exchange) EXCHANGE="${2:?}"; shift 2 ;;
    --port) PORT="${2:?}"; shift 2 ;;
    --kartu) KARTU="${2:?}"; shift 2 ;;
    --dry-run) DRY=(--dry-run); shift ;;
    -h|--help) usage ;;
    *) echo "Pilihan tidak dikenal: $1" >&2; usage ;;
  esac
done

[ -n "$KOHORT" ] || gagal "--kohort belum diisi (folder kohort, misalnya /srv/spptik/kohort-padang)"
[ -n "$FASILITATOR" ] || gagal "--fasilitator belum diisi (nama akun fasilitator, dipisah koma)"
[ "$(id -u)" -eq 0 ] || [ ${#DRY[@]} -gt 0 ] || gagal "jalankan sebagai root (sudo), atau dengan --dry-run"

# Participants' servers run this checkout's .venv as their own accounts: the checkout and the
# Python the .venv was made from must be reachable by every account (o+x on every folder
# above them). Checked before anything is installed; the .venv is made with Debian's
# /usr/bin/python3, never with the first python3 on PATH (pyenv's lives under /root).
SYSTEM_PYTHON="${SPPTIK_PYTHON:-/usr/bin/python3}"  # e.g. /usr/bin/python3.11 on Ubuntu 22.04
closed_above() {  # prints the first folder above $1 that other accounts cannot enter
  local d
  d="$(dirname "$(readlink -f "$1")")"
  while [ "$d" != "/" ]; do
    if [ $(( 0$(stat -c %a "$d") & 1 )) -eq 0 ]; then echo "$d"; return 0; fi
    d="$(dirname "$d")"
  done
  return 1
}
if closed="$(closed_above "$REPO/Makefile")"; then
  gagal "folder $closed tertutup bagi akun lain, padahal server peserta memakai $REPO/.venv. Pindahkan checkout ke tempat bersama, misalnya /opt/spptik, lalu jalankan skrip ini dari sana"
fi
if [ -e "$REPO/.venv/bin/python3" ] && closed="$(closed_above "$(readlink -f "$REPO/.venv/bin/python3")")"; then
  gagal ".venv dibuat dengan Python $(readlink -f "$REPO/.venv/bin/python3"), di bawah $closed yang tertutup bagi akun lain (pyenv?). Hapus dulu: rm -rf $REPO/.venv, lalu jalankan skrip ini lagi; skrip membuatnya dengan $SYSTEM_PYTHON"
fi

if [ ${#DRY[@]} -eq 0 ]; then
  echo "== 1. Paket sistem, lingkungan Python (.venv) dan configurable-http-proxy"
  need=()
  [ -x "$SYSTEM_PYTHON" ] || need+=(python3)
  "$SYSTEM_PYTHON" -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
  command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
  command -v make >/dev/null 2>&1 || need+=(make)
  if [ ${#need[@]} -gt 0 ]; then
    command -v apt-get >/dev/null 2>&1 || gagal "apt-get tidak ada: pasang sendiri ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  fi
  "$SYSTEM_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || gagal "$SYSTEM_PYTHON lebih tua dari Python 3.11. Pasang python3.11 dan python3.11-venv, lalu jalankan lagi dengan SPPTIK_PYTHON=/usr/bin/python3.11"
  # the .venv is made from the system's Python; the Makefile then only fills it
  [ -x "$REPO/.venv/bin/python3" ] || "$SYSTEM_PYTHON" -m venv "$REPO/.venv"
  PATH="/usr/bin:/bin:$PATH" make -C "$REPO" hub-setup
else
  [ -x "$SPPTIK" ] || gagal "$SPPTIK belum ada: jalankan dulu 'make hub-setup' (uji coba tidak memasang apa pun)"
fi
export PATH="$REPO/.venv/bin:$PATH"

echo "== 2. Kohort"
if [ ! -f "$KOHORT/kohort.toml" ]; then
  [ -n "$ROSTER" ] || gagal "$KOHORT belum berisi kohort: beri --roster peserta.csv (dan --nama) untuk membuatnya"
  if [ ${#DRY[@]} -gt 0 ]; then
    echo "spptik init $KOHORT --roster $ROSTER --name \"$NAMA\"   (uji coba: tidak dijalankan)"
    echo "Uji coba berhenti di sini: langkah 3 memerlukan kohort yang sudah ada."
    exit 0
  fi
  init=(init "$KOHORT" --roster "$ROSTER")
  [ -n "$NAMA" ] && init+=(--name "$NAMA")
  "$SPPTIK" "${init[@]}"
else
  echo "Kohort sudah ada: $KOHORT"
fi

echo "== 3. Akun, exchange, hak akses, layanan spptik-hub"
args=(situs siapkan "$KOHORT" --fasilitator "$FASILITATOR")
[ -n "$EXCHANGE" ] && args+=(--exchange "$EXCHANGE")
[ -n "$PORT" ] && args+=(--port "$PORT")
[ -n "$KARTU" ] && args+=(--kartu "$KARTU")
"$SPPTIK" "${args[@]}" "${DRY[@]}"

if [ ${#DRY[@]} -eq 0 ]; then
  echo "== Selesai. Status layanan: systemctl status spptik-hub; catatan: journalctl -u spptik-hub -f"
fi

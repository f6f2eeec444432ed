#!/usr/bin/env bash
# Cài những gì mtcl-docs cần: gói Debian (LibreOffice, phông Liberation, poppler) và môi trường .venv.
# Chạy được nhiều lần: chỉ cài phần còn thiếu.
set -euo pipefail
cd "$(dirname "$0")/.."

# libreoffice-calc-nogui: .xls/.ods plans sent back by units are converted before reading.
# softhsm2: a PKCS#11 token in software, for the tests of signing with a USB token.
APT_PACKAGES="libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 poppler-utils python3-uno python3-venv softhsm2"
missing=""
for pkg in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Đang cài gói hệ thống:$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        echo "Thiếu gói hệ thống:$missing" >&2
        echo "Hãy nhờ quản trị máy cài bằng lệnh: sudo apt-get install$missing" >&2
        exit 1
    fi
fi

PY="${PYTHON:-python3}"
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "Đang chuẩn bị môi trường Python (.venv)"
    [ -x .venv/bin/python ] || "$PY" -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -e ".[test]"
    touch "$stamp"
fi

# unoserver needs LibreOffice's own Python bindings (python3-uno), so it lives in a venv of the
# system Python; used for conversion through LibreOffice servers (--unoserver).
if [ ! -x .venv-uno/bin/unoconvert ]; then
    echo "Đang chuẩn bị unoserver (.venv-uno)"
    /usr/bin/python3 -m venv --system-site-packages .venv-uno
    .venv-uno/bin/pip install -q --disable-pip-version-check "unoserver>=3,<4"
fi

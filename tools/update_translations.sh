#!/usr/bin/env bash
# Copyright 2026 The social_crm authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# Regenerate the translation templates of social_crm, social_crm_helpdesk and
# social_crm_queue with Odoo's own exporter and merge them into the existing
# ru/uk/bg catalogs.
#
#   tools/update_translations.sh [--check-load] [--keep-db]
#
# What it does:
#   1. creates a scratch database ($I18N_DB, default "i18n_scratch") and installs
#      the addons in it WITHOUT demo data (demo records must not leak terms);
#   2. exports  social_crm/i18n/social_crm.pot,
#               social_crm_helpdesk/i18n/social_crm_helpdesk.pot and
#               social_crm_queue/i18n/social_crm_queue.pot
#      with `odoo --i18n-export=<file>.pot --modules=<addon>`;
#   3. merges each template into <addon>/i18n/{ru,uk,bg}.po with
#      `msgmerge --update --no-fuzzy-matching --no-wrap` (a missing catalog is
#      created from the template with `msginit`, which sets Language and
#      Plural-Forms); entries that left the code are dropped (msgattrib
#      --no-obsolete) instead of being kept as "#~" comments;
#   4. prints `msgfmt --check-format --statistics` for every catalog and exits
#      non-zero if any catalog is not complete (untranslated or fuzzy entries)
#      or does not validate;
#   5. with --check-load, also loads ru_RU, uk_UA and bg_BG into the scratch
#      database, re-imports the catalogs with `-u ... --i18n-overwrite` and fails
#      if the log contains a WARNING/ERROR/CRITICAL line;
#   6. drops the scratch database (unless --keep-db).
#
# New or changed msgids then need a translation in each .po (msgstr "" is
# reported as untranslated); social_crm/tests/test_translations.py fails until
# the catalogs are complete and the .pot matches the code.
#
# Requirements:
#   * GNU gettext (msgmerge, msgattrib, msginit, msgfmt). On Debian it is not always
#     installed; install it as root with:
#         apt-get update && apt-get install -y gettext
#   * a local PostgreSQL reachable without password by the current role
#     (createdb/dropdb), and the project's Odoo 18 venv (see PYTHON/ADDONS_PATH
#     below, both overridable from the environment).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-/root/.cache/social_crm/venv/bin/python}"
ADDONS_PATH="${ADDONS_PATH:-$REPO,/root/.cache/social_crm/odoo/odoo/addons,/root/.cache/social_crm/venv/lib/python3.11/site-packages/odoo/addons}"
DB="${I18N_DB:-i18n_scratch}"
MODULES=(social_crm social_crm_helpdesk social_crm_queue)
LANGS=(ru uk bg)
CHECK_LOAD=0
KEEP_DB=0
for arg in "$@"; do
    case "$arg" in
        --check-load) CHECK_LOAD=1 ;;
        --keep-db) KEEP_DB=1 ;;
        -h|--help) sed -n '2,/^set /{s/^# \{0,1\}//p}' "$0"; exit 0 ;;
        *) echo "unknown argument: $arg" >&2; exit 2 ;;
    esac
done

for tool in msgmerge msgattrib msginit msgfmt createdb dropdb; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: '$tool' not found." >&2
        echo "       gettext: apt-get update && apt-get install -y gettext (as root)" >&2
        exit 1
    fi
done

LOGDIR="$(mktemp -d)"
cleanup() {
    if [ "$KEEP_DB" -eq 0 ]; then
        dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    fi
    rm -rf "$LOGDIR"
}
trap cleanup EXIT

odoo() {
    # Run Odoo from the repo root; no HTTP server needed for i18n work.
    (cd "$REPO" && "$PYTHON" -m odoo --addons-path="$ADDONS_PATH" -d "$DB" \
        --db-filter="^${DB}\$" --no-http --log-level=info "$@")
}

echo "== creating scratch database $DB (no demo data)"
dropdb --if-exists "$DB" 2>/dev/null
createdb "$DB"
if ! odoo -i "$(IFS=,; echo "${MODULES[*]}")" --without-demo=all --stop-after-init \
        >"$LOGDIR/install.log" 2>&1; then
    tail -n 50 "$LOGDIR/install.log" >&2
    echo "error: installation failed" >&2
    exit 1
fi
if grep -E " (ERROR|CRITICAL) " "$LOGDIR/install.log" >&2; then
    echo "error: installation logged errors" >&2
    exit 1
fi

status=0
for module in "${MODULES[@]}"; do
    i18n="$REPO/$module/i18n"
    pot="$i18n/$module.pot"
    mkdir -p "$i18n"
    echo "== exporting $module -> ${pot#"$REPO/"}"
    if ! odoo --i18n-export="$pot" --modules="$module" --stop-after-init \
            >"$LOGDIR/export-$module.log" 2>&1 || [ ! -s "$pot" ]; then
        tail -n 50 "$LOGDIR/export-$module.log" >&2
        echo "error: export of $module failed" >&2
        exit 1
    fi
    for lang in "${LANGS[@]}"; do
        po="$i18n/$lang.po"
        if [ -f "$po" ]; then
            msgmerge --quiet --update --no-fuzzy-matching --no-wrap --backup=none "$po" "$pot"
            # drop entries whose msgid left the code (Odoo's catalogs carry no #~)
            msgattrib --no-obsolete --no-wrap --output-file="$po" "$po"
        else
            msginit --no-translator --no-wrap --locale="$lang" --input="$pot" --output-file="$po" 2>/dev/null
            echo "   created ${po#"$REPO/"}"
        fi
    done
done

echo "== statistics"
for module in "${MODULES[@]}"; do
    for lang in "${LANGS[@]}"; do
        po="$REPO/$module/i18n/$lang.po"
        # msgfmt prints e.g. "12 translated messages, 3 untranslated messages."
        if ! stats="$(msgfmt --check-format --statistics -o /dev/null "$po" 2>&1)"; then
            status=1
        fi
        printf '%-34s %s\n' "${po#"$REPO/"}" "$(echo "$stats" | tail -n 1)"
        if [ "$(echo "$stats" | wc -l)" -gt 1 ]; then
            echo "$stats" | head -n -1 | sed 's/^/    /'
        fi
        if echo "$stats" | grep -Eq "untranslated|fuzzy"; then
            status=1
        fi
    done
done

if [ "$CHECK_LOAD" -eq 1 ]; then
    echo "== loading ru_RU, uk_UA, bg_BG and re-importing the catalogs"
    odoo --load-language=ru_RU,uk_UA,bg_BG --stop-after-init >"$LOGDIR/lang.log" 2>&1 || {
        tail -n 50 "$LOGDIR/lang.log" >&2; exit 1; }
    odoo -u "$(IFS=,; echo "${MODULES[*]}")" --i18n-overwrite --stop-after-init \
        >"$LOGDIR/overwrite.log" 2>&1 || { tail -n 50 "$LOGDIR/overwrite.log" >&2; exit 1; }
    if grep -hE " (WARNING|ERROR|CRITICAL) " "$LOGDIR/lang.log" "$LOGDIR/overwrite.log"; then
        echo "error: warnings/errors while loading the translations (see above)" >&2
        status=1
    else
        grep -hE "loading translation file|translation file" "$LOGDIR/lang.log" "$LOGDIR/overwrite.log" \
            | grep -E "module social_crm(_helpdesk|_queue)?: loading translation file" | sed "s/^.*module /   /" || true
        echo "   translations loaded without warnings"
    fi
fi

exit "$status"

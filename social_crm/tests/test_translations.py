# Copyright 2026 The social_crm authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ru/uk/bg catalogs are complete and in step with the code.

When this fails after a string was added or changed, run
``tools/update_translations.sh`` and translate the new entries.
"""

import os
import re
from collections import Counter

import polib
from lxml import etree

from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ADDONS = ("social_crm", "social_crm_helpdesk")
LANGS = {"ru": 3, "uk": 3, "bg": 2}  # language -> number of plural forms

# printf-style conversions as used by Odoo's _() (positional or named)
PY_FORMAT_RE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)
BRACE_RE = re.compile(r"\{[^{}\s]*\}")
TAG_RE = re.compile(r"<[^<>]+>")


def _python_format(entry):
    """Odoo 18 does not flag python-format; code terms are %-formatted."""
    return "python-format" in entry.flags or any(
        occurrence.startswith("code:") for occurrence, _line in entry.occurrences
    )


def _placeholders(text):
    """(positional conversions in order, named conversions as a multiset)."""
    positional, named = [], Counter()
    for match in PY_FORMAT_RE.finditer(text):
        if match.group(0) == "%%":
            continue
        if match.group("name") is not None:
            named[match.group(0)] += 1
        else:
            positional.append(match.group(0))
    return positional, named


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def _addons(self):
        """The addons installed in this database (the bridge may be absent)."""
        installed = set(
            self.env["ir.module.module"]
            .search([("name", "in", ADDONS), ("state", "=", "installed")])
            .mapped("name")
        )
        return [addon for addon in ADDONS if addon in installed]

    def _catalog(self, addon, filename):
        path = os.path.join(get_module_path(addon), "i18n", filename)
        self.assertTrue(os.path.isfile(path), f"{addon}/i18n/{filename} is missing")
        return polib.pofile(path)

    def _msgids(self, catalog):
        return {entry.msgid for entry in catalog if not entry.obsolete}

    def _demo_xmlids(self, addon):
        """External ids defined by demo data: not exported, not in the .pot."""
        xmlids = set()
        path = get_module_path(addon)
        for filename in get_manifest(addon).get("demo", []):
            if not filename.endswith(".xml"):
                continue
            for node in etree.parse(os.path.join(path, filename)).iter():
                xmlid = node.get("id") if isinstance(node.tag, str) else None
                if xmlid:
                    xmlids.add(xmlid if "." in xmlid else f"{addon}.{xmlid}")
        return xmlids

    def test_catalogs_complete(self):
        for addon in self._addons():
            pot_ids = self._msgids(self._catalog(addon, f"{addon}.pot"))
            self.assertTrue(pot_ids, f"{addon}.pot has no terms")
            for lang, nplurals in LANGS.items():
                po = self._catalog(addon, f"{lang}.po")
                po_ids = self._msgids(po)
                entries = [e for e in po if not e.obsolete]
                with self.subTest(addon=addon, lang=lang, check="header"):
                    self.assertEqual(po.metadata.get("Language"), lang)
                    self.assertIn(
                        f"nplurals={nplurals};",
                        po.metadata.get("Plural-Forms", "").replace(" ", ""),
                    )
                with self.subTest(addon=addon, lang=lang, check="same msgids"):
                    self.assertFalse(
                        sorted(pot_ids - po_ids),
                        f"{addon}/i18n/{lang}.po lacks terms of the .pot; "
                        "run tools/update_translations.sh",
                    )
                    self.assertFalse(
                        sorted(po_ids - pot_ids),
                        f"{addon}/i18n/{lang}.po has terms that are not in the .pot",
                    )
                with self.subTest(addon=addon, lang=lang, check="translated"):
                    self.assertFalse(
                        [e.msgid for e in entries if not e.msgstr],
                        f"untranslated terms in {addon}/i18n/{lang}.po",
                    )
                    self.assertFalse(
                        [e.msgid for e in entries if "fuzzy" in e.flags],
                        f"fuzzy terms in {addon}/i18n/{lang}.po",
                    )

    def test_placeholders_kept(self):
        for addon in self._addons():
            for lang in LANGS:
                po = self._catalog(addon, f"{lang}.po")
                for entry in po:
                    if entry.obsolete or not entry.msgstr:
                        continue
                    with self.subTest(addon=addon, lang=lang, msgid=entry.msgid):
                        if _python_format(entry):
                            self.assertEqual(
                                _placeholders(entry.msgstr),
                                _placeholders(entry.msgid),
                                "python-format placeholders differ",
                            )
                        self.assertEqual(
                            Counter(BRACE_RE.findall(entry.msgstr)),
                            Counter(BRACE_RE.findall(entry.msgid)),
                            "{} placeholders differ",
                        )
                        self.assertEqual(
                            Counter(TAG_RE.findall(entry.msgstr)),
                            Counter(TAG_RE.findall(entry.msgid)),
                            "markup differs",
                        )

    def test_pot_in_step_with_code(self):
        """Every term Odoo would export now is in the committed template."""
        for addon in self._addons():
            with self.subTest(addon=addon):
                pot_ids = self._msgids(self._catalog(addon, f"{addon}.pot"))
                demo = self._demo_xmlids(addon)
                reader = TranslationModuleReader(self.env.cr, [addon])
                terms = {
                    row[4]  # (module, type, name, res_id, source, value, comments)
                    for row in reader
                    if row[0] == addon and row[4] and row[3] not in demo
                }
                self.assertTrue(terms)
                self.assertFalse(
                    sorted(terms - pot_ids),
                    f"terms missing from {addon}/i18n/{addon}.pot; "
                    "run tools/update_translations.sh and translate them",
                )


@tagged("post_install", "-at_install")
class TestTranslatedSelections(TransactionCase):
    """Connector and analyzer names are words in the user's language too."""

    def test_connector_and_analyzer_labels_in_russian(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"].search(
            [("name", "=", "social_crm")]
        )._update_translations(["ru_RU"])
        env = self.env(context=dict(self.env.context, lang="ru_RU"))
        connectors = dict(env["social.source"]._selection_connector())
        self.assertNotEqual(connectors["demo"], "Demo (offline sample data)")
        self.assertNotEqual(connectors["rss"], "RSS / Atom feed")
        self.assertEqual(connectors["mastodon"], "Mastodon")  # a name stays
        analyzers = dict(env["res.company"]._selection_social_sentiment_analyzer())
        self.assertNotIn("Lexicon", analyzers["lexicon"])

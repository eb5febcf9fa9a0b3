import json
import re

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..analysis.answers import AnswerCandidate, rank_answers
from .social_mention import excerpt_at_word

#: Placeholders of an answer's body, filled for the mention answered.
_PLACEHOLDER_RE = re.compile(r"\{(author|agent|company)\}")

#: The Odoo language of each mention language, for an answer's translation.
ODOO_LANGS = {"en": "en_US", "ru": "ru_RU", "uk": "uk_UA", "bg": "bg_BG"}


def _lang_code(odoo_lang):
    """``ru_RU`` -> ``ru``: the analysis's code of an Odoo language."""
    return (odoo_lang or "").split("_")[0]


class SocialAnswer(models.Model):
    """A ready answer of the knowledge base: one body per language.

    The body may hold ``{author}`` (the author's name), ``{agent}`` (the
    replying user) and ``{company}`` (the mention's company). Managers write
    answers; agents use them in the reply composer, which suggests the best
    ones for each post (:mod:`..analysis.answers`).
    """

    _name = "social.answer"
    _description = "Social Answer"
    _order = "use_count desc, name, id"

    name = fields.Char(string="Title", required=True, translate=True)
    body = fields.Text(
        required=True,
        translate=True,
        help="The reply; {author}, {agent} and {company} are filled when used.",
    )
    category_ids = fields.Many2many("social.category", string="Categories")
    keywords = fields.Char(help="Words of the posts this answer fits.")
    active = fields.Boolean(default=True)
    use_count = fields.Integer(string="Times Used", readonly=True, copy=False)
    last_used = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------------ business
    def _texts(self):
        """``{id: {lang code: (title, body)}}``: every translation, as stored.

        Read from the columns, as a translation is in a language or not
        (the ORM would fall back to English without saying).
        """
        if not self:
            return {}
        self.flush_model(["name", "body"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id, name, body FROM social_answer WHERE id = ANY(%s)",
                self.ids,
            )
        )
        texts = {}
        for answer_id, names, bodies in rows:
            names, bodies = names or {}, bodies or {}
            english = bodies.get("en_US")
            # An answer written in another language has that text as its
            # English fallback too: it is not an English answer.
            if english and any(
                lang != "en_US" and body == english for lang, body in bodies.items()
            ):
                bodies = {k: v for k, v in bodies.items() if k != "en_US"}
            texts[answer_id] = {
                _lang_code(lang): (names.get(lang) or names.get("en_US") or "", body)
                for lang, body in bodies.items()
                if body
            }
        return texts

    @api.model
    def _suggest_for(self, mention, limit=3):
        """The active answers that fit ``mention`` best, best first."""
        answers = self.search([])
        texts = answers._texts()
        candidates = [
            AnswerCandidate(
                key=answer.id,
                texts=texts.get(answer.id) or {},
                categories=frozenset(answer.category_ids.mapped("code")),
                keywords=answer.keywords or "",
                use_count=answer.use_count,
            )
            for answer in answers
        ]
        keys = rank_answers(
            mention.content or "",
            mention.lang or "en",
            mention.category_id.code or "",
            candidates,
            limit=limit,
        )
        return self.browse(keys)

    def _body_for(self, mention, agent):
        """The body in the mention's language (else English), placeholders filled."""
        self.ensure_one()
        texts = self._texts().get(self.id) or {}
        lang = mention.lang or "en"
        _title, body = texts.get(lang) or texts.get("en") or ("", self.body or "")
        identity = mention.identity_id
        values = {
            "author": identity.name or identity.handle or "",
            "agent": agent.name or "",
            "company": mention.company_id.name or "",
        }
        return _PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], body or "")

    def _mark_used(self):
        """Count a use (sudo: agents read answers, the counters follow use)."""
        now = fields.Datetime.now()
        for answer in self.sudo():
            answer.write({"use_count": answer.use_count + 1, "last_used": now})

    def _set_translations(self, translations):
        """Store ``{field: {Odoo language: text}}`` as they are.

        Unlike ``update_field_translations`` this needs the languages not to
        be installed yet: shipped answers carry their Russian, Ukrainian and
        Bulgarian bodies for whenever those languages are added.
        """
        self.flush_recordset(list(translations))
        for name, values in translations.items():
            self.env.cr.execute(
                SQL(
                    "UPDATE social_answer SET %s = COALESCE(%s, '{}'::jsonb) || %s"
                    " WHERE id = ANY(%s)",
                    SQL.identifier(name),
                    SQL.identifier(name),
                    SQL("%s::jsonb", json.dumps(values)),
                    self.ids,
                )
            )
        self.invalidate_recordset(list(translations))

    @api.model
    def _demo_translate(self, translations):
        """Demo data: ``{xml id: {field: {Odoo language: text}}}``."""
        for xmlid, values in translations.items():
            self.env.ref(xmlid)._set_translations(values)

    @api.model
    def _create_from_reply(self, reply):
        """A new answer made of a sent reply, for its mention's category and
        language; the author's, agent's and company's names become
        placeholders."""
        mention = reply.mention_id
        body = reply.body or ""
        prefill = mention._reply_prefill().strip()
        if prefill:
            body = body.replace(prefill, "").strip()
        replacements = (
            (mention.identity_id.name, "{author}"),
            (reply.user_id.name, "{agent}"),
            (mention.company_id.name, "{company}"),
        )
        for value, placeholder in replacements:
            if value and len(value) > 2:
                body = body.replace(value, placeholder)
        answer = self.sudo().create(
            {
                "name": excerpt_at_word(body) or _("Answer"),
                "body": body,
                "category_ids": [(6, 0, mention.category_id.ids)],
                "keywords": mention.matched_terms or False,
            }
        )
        lang = ODOO_LANGS.get(mention.lang or "")
        if lang and lang != "en_US":
            answer._set_translations(
                {"name": {lang: answer.name}, "body": {lang: body}}
            )
        return answer.sudo(False)

import re

from odoo import fields, models

#: Placeholders of an answer's body, filled for the mention answered.
_PLACEHOLDER_RE = re.compile(r"\{(author|agent|company)\}")

#: The Odoo language of each mention language, for an answer's translation.
ODOO_LANGS = {"en": "en_US", "ru": "ru_RU", "uk": "uk_UA", "bg": "bg_BG"}


class SocialAnswer(models.Model):
    """A ready answer of the knowledge base: one body per language.

    The body may hold ``{author}`` (the author's name), ``{agent}`` (the
    replying user) and ``{company}`` (the mention's company). Managers write
    answers; agents use them in the reply composer.
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

    def _body_for(self, mention, agent):
        """The body in the mention's language with its placeholders filled."""
        self.ensure_one()
        lang = ODOO_LANGS.get(mention.lang or "")
        answer = self.with_context(lang=lang) if lang else self
        identity = mention.identity_id
        values = {
            "author": identity.name or identity.handle or "",
            "agent": agent.name or "",
            "company": mention.company_id.name or "",
        }
        return _PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], answer.body or "")

    def _mark_used(self):
        """Count a use (sudo: agents read answers, the counters follow use)."""
        now = fields.Datetime.now()
        for answer in self.sudo():
            answer.write({"use_count": answer.use_count + 1, "last_used": now})

"""The knowledge base: suggestions ranked on a small fixed set, translated
bodies, placeholders, Save as Answer, the shipped demo answers."""

from odoo.tests import BaseCase, tagged

from odoo.addons.social_crm.analysis.answers import (
    AnswerCandidate,
    lemma_set,
    rank_answers,
    score_answer,
)
from odoo.addons.social_crm.connectors import mastodon

from .connector_common import fixture
from .test_reply import MASTODON_URI, STATUSES, WRITE_TOKEN, ReplyCase, json_reply

SORRY = AnswerCandidate(
    1,
    {
        "en": (
            "Sorry, we are on it",
            "Sorry your router broke, {author}. We will send a refund.",
        )
    },
    frozenset({"complaint"}),
    "refund",
)
BUY = AnswerCandidate(
    2,
    {"en": ("Ready to help you buy", "Great! We will prepare an offer.")},
    frozenset({"purchase_intent"}),
    "price, offer",
)
GENERIC = AnswerCandidate(3, {"en": ("Thanks", "Thanks for writing, {author}.")})
SORRY_RU = AnswerCandidate(
    4,
    {"ru": ("Извините", "Нам жаль, что роутер сломался. Мы вернём деньги.")},
    frozenset({"complaint"}),
    use_count=7,
)
CANDIDATES = [SORRY, BUY, GENERIC, SORRY_RU]


@tagged("post_install", "-at_install")
class TestAnswerRanking(BaseCase):
    def test_english_complaint(self):
        post = "My router broke after two days. I want a refund!"
        # The generic English answer comes second; the Russian complaint one
        # cannot be sent as it is and the sales one is for another category:
        # both score 0, not suggested.
        self.assertEqual(rank_answers(post, "en", "complaint", CANDIDATES), [1, 3])
        lemmas = lemma_set(post, "en")
        self.assertEqual(score_answer(SORRY_RU, lemmas, "en", "complaint"), 0)
        self.assertEqual(score_answer(BUY, lemmas, "en", "complaint"), 0)
        # The sorry answer by hand: category +2, English +1, 3 of the post's
        # 7 lemmas (router, broke, refund) among the answer's 9 (sorry, be,
        # your, router, broke, author, will, send, refund): 4 * 3 / sqrt(7 * 9),
        # and +0.5 for the keyword refund.
        self.assertEqual(len(lemmas), 7)
        self.assertAlmostEqual(
            score_answer(SORRY, lemmas, "en", "complaint"),
            2 + 1 + 4 * 3 / (7 * 9) ** 0.5 + 0.5,
        )

    def test_russian_complaint_meets_inflected_words(self):
        # сломался/сломался, деньги/деньги, верните/вернём: one lemma each.
        post = "Роутер сломался через два дня, верните деньги!"
        self.assertEqual(rank_answers(post, "ru", "complaint", CANDIDATES), [4])
        self.assertIn("вернуть", lemma_set("Мы вернём деньги", "ru"))

    def test_other_category_and_no_match_not_suggested(self):
        post = "What is the price of the X2? I would like an offer."
        # The sales answer first, the generic one after; not the complaints.
        self.assertEqual(
            rank_answers(post, "en", "purchase_intent", CANDIDATES), [2, 3]
        )

    def test_ties_go_to_the_most_used(self):
        twin = AnswerCandidate(5, SORRY_RU.texts, SORRY_RU.categories, use_count=99)
        post = "Роутер сломался"
        self.assertEqual(
            rank_answers(post, "ru", "complaint", [SORRY_RU, twin], limit=1), [5]
        )


@tagged("post_install", "-at_install")
class TestAnswersInComposer(ReplyCase):
    def setUp(self):
        super().setUp()
        self.source = self.make_source("mastodon", reply_token=WRITE_TOKEN)
        self.ingest_posts(
            self.source,
            mastodon.parse_notifications(fixture("mastodon/notifications.json")),
        )
        self.target = self.mention(MASTODON_URI)
        complaint = self.env.ref("social_crm.category_complaint")
        self.target.write(
            {
                "lang": "ru",
                "category_id": complaint.id,
                "content": "Роутер сломался через два дня, верните деньги!",
            }
        )
        self.env["social.answer"].search([]).active = False  # demo answers
        self.sorry = self.env["social.answer"].create(
            {
                "name": "Sorry",
                "body": "Sorry, {author}! We will refund you. {agent}, {company}",
                "category_ids": [(6, 0, complaint.ids)],
            }
        )
        self.sorry._set_translations(
            {
                "body": {
                    "ru_RU": "Извините, {author}! Мы вернём деньги. {agent}, {company}"
                }
            }
        )
        self.buy = self.env["social.answer"].create(
            {
                "name": "Buy",
                "body": "Let us prepare an offer",
                "category_ids": [
                    (6, 0, self.env.ref("social_crm.category_purchase_intent").ids)
                ],
            }
        )

    def test_suggested_and_used_in_the_mentions_language(self):
        wizard = self.composer(self.target)
        self.assertEqual(wizard.suggested_answer_ids, self.sorry)
        wizard.suggested_answer_id = self.sorry
        self.assertEqual(wizard.answer_id, self.sorry)
        author = self.target.identity_id.name
        self.assertEqual(
            wizard.body,
            f"@bob@mastodon.social Извините, {author}! Мы вернём деньги. "
            f"{self.social_user.name}, {self.target.company_id.name}",
        )
        # An English mention gets the English body.
        self.target.lang = "en"
        self.assertTrue(
            self.sorry._body_for(self.target, self.social_user).startswith("Sorry, ")
        )

    def test_save_sent_reply_as_answer(self):
        self.server.route("/api/v2/instance", json_reply({}))
        self.server.route(
            "/api/v2/search",
            json_reply({"statuses": [{"id": "9", "uri": MASTODON_URI}]}),
        )
        self.server.route(STATUSES, json_reply({"id": "10"}))
        author = self.target.identity_id.name
        wizard = self.composer(
            self.target,
            body=f"@bob@mastodon.social {author}, мы заменим роутер бесплатно.",
        )
        wizard.action_send()
        reply = wizard.reply_id
        self.assertEqual(reply.state, "sent")
        reply.with_user(self.social_user).action_save_as_answer()
        answer = self.env["social.answer"].search(
            [("id", "not in", (self.sorry + self.buy).ids)]
        )
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.category_ids, self.target.category_id)
        texts = answer._texts()[answer.id]
        self.assertEqual(texts["ru"][1], "{author}, мы заменим роутер бесплатно.")
        self.assertNotIn("en", texts)  # written in Russian, not in English
        # The new answer is suggested for the next Russian complaint.
        self.assertIn(answer, self.composer(self.target).suggested_answer_ids)


@tagged("post_install", "-at_install")
class TestDemoAnswers(ReplyCase):
    def test_demo_answers_in_four_languages(self):
        answer = self.env.ref("social_crm.social_answer_demo_complaint")
        texts = answer._texts()[answer.id]
        self.assertEqual(set(texts), {"en", "ru", "uk", "bg"})
        self.assertTrue(texts["uk"][1].startswith("Вітаємо, {author}!"))


@tagged("post_install", "-at_install")
class TestAskColleague(ReplyCase):
    def test_ask_then_send_the_colleagues_note(self):
        source = self.make_source("mastodon", reply_token=WRITE_TOKEN)
        self.ingest_posts(
            source, mastodon.parse_notifications(fixture("mastodon/notifications.json"))
        )
        mention = self.mention(MASTODON_URI)
        wizard = self.composer(
            mention, colleague_id=self.social_manager.id, question="Refund or not?"
        )
        wizard.action_ask_colleague()
        activity = mention.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.social_manager)
        self.assertEqual(
            (activity.res_model, activity.res_id), ("social.mention", mention.id)
        )
        self.assertIn("Refund or not?", str(activity.note))
        self.assertIn(mention.content[:20], str(activity.note))
        # The colleague answers in a note; the agent's next composer offers it.
        mention.with_user(self.social_manager).message_post(
            body="Offer a free replacement router.",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        composer = self.composer(mention)
        self.assertEqual(composer.colleague_answer, "Offer a free replacement router.")
        composer.action_use_colleague_answer()
        self.assertEqual(
            composer.body, "@bob@mastodon.social Offer a free replacement router."
        )
        # The agent's own notes are not a colleague's answer.
        mention.with_user(self.social_user).message_post(
            body="Mine", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertEqual(
            self.composer(mention).colleague_answer, "Offer a free replacement router."
        )

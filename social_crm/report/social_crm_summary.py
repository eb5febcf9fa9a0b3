from datetime import datetime, time, timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, formatLang

from . import summary_charts

#: Category codes listed as "open complaints".
COMPLAINT_CODES = ("complaint",)
#: States of a mention that nobody has finished handling.
OPEN_STATES = ("new", "in_progress")
TOP_LIMIT = 10
#: Open complaints listed by name (the newest); the rest are counted.
COMPLAINT_LIMIT = 25


class SocialCrmSummaryReport(models.AbstractModel):
    """The figures of the "Social CRM summary" PDF, for one company and period.

    The period runs from ``date_from`` 00:00 to ``date_to`` 24:00, UTC, on the
    mentions' post dates. Influencers are the authors of the period's
    mentions whose influence is not negative, detractors those whose influence
    is negative, each by score, highest first.
    """

    _name = "report.social_crm.summary"
    _description = "Social CRM Summary Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = dict(data or {})
        if not data.get("date_from") and docids:
            wizard = self.env["social.crm.summary.wizard"].browse(docids)
            data.update(wizard._report_data())
        if not (data.get("date_from") and data.get("date_to")):
            raise UserError(_("Choose the period of the summary."))
        date_from = fields.Date.to_date(data["date_from"])
        date_to = fields.Date.to_date(data["date_to"])
        company = self.env["res.company"].browse(
            data.get("company_id") or self.env.company.id
        )
        values = self._summary(company, date_from, date_to)
        values.update(
            {
                "doc_ids": docids,
                "doc_model": "social.crm.summary.wizard",
                "docs": self.env["social.crm.summary.wizard"].browse(docids),
                "data": data,
                "company": company,
            }
        )
        return values

    @api.model
    def _summary_conversions(self, domain, total):
        """What the period's mentions were converted into: ``[{name, count, pct}]``.

        Leads here; the helpdesk bridge adds tickets.
        """
        leads = self.env["social.mention"].search_count(
            domain + [("lead_id", "!=", False)]
        )
        return [
            {
                "name": _("Leads"),
                "label": _("Converted to leads"),
                "count": leads,
                "pct": _percent(leads, total),
            }
        ]

    @api.model
    def _summary_times(self, Report, domain, total):
        """Average times to first action and first reply, and the reply rate."""
        # the analysis dates a mention by its post, as ``date``
        report_domain = [
            ("date", *leaf[1:]) if leaf[0] == "posted_at" else leaf for leaf in domain
        ]
        [(first_action, first_reply, replied)] = Report._read_group(
            report_domain,
            [],
            [
                "hours_to_first_action:avg",
                "hours_to_first_reply:avg",
                "odoo_reply_count:sum",
            ],
        )
        return {
            "first_action": _hours_minutes(first_action) if first_action else False,
            "first_reply": _hours_minutes(first_reply) if first_reply else False,
            "replied": replied or 0,
            "reply_pct": _percent(replied or 0, total),
        }

    @api.model
    def _summary_charts(self, weeks, networks, voices):
        """The SVG charts, with numbers and dates in the user's language."""
        env = self.env
        series = dict(
            env["social.mention"]._fields["sentiment"]._description_selection(env)
        )
        week_columns = [
            (format_date(env, week["week"], date_format="dd MMM"), week)
            for week in (weeks[key] for key in sorted(weeks))
        ]
        return {
            "weeks": Markup(
                summary_charts.stacked_columns(
                    week_columns,
                    {
                        key: series.get(key, key)
                        for key in ("positive", "neutral", "negative")
                    },
                    summary_charts.SENTIMENT_COLOURS,
                )
            )
            if week_columns
            else False,
            "networks": Markup(
                summary_charts.horizontal_bars(
                    [
                        (name, count, formatLang(env, count, digits=0))
                        for name, count in networks
                    ]
                )
            )
            if networks
            else False,
            "voices": Markup(
                summary_charts.horizontal_bars(
                    [
                        (
                            voice["name"],
                            voice["count"],
                            f"{formatLang(env, voice['pct'], digits=1)} %",
                        )
                        for voice in voices
                    ]
                )
            )
            if voices
            else False,
        }

    @api.model
    def _summary(self, company, date_from, date_to):
        Mention = self.env["social.mention"]
        Identity = self.env["social.identity"]
        start = datetime.combine(date_from, time.min)
        end = datetime.combine(date_to + timedelta(days=1), time.min)
        domain = [
            ("company_id", "=", company.id),
            ("posted_at", ">=", start),
            ("posted_at", "<", end),
        ]
        by_sentiment = dict(Mention._read_group(domain, ["sentiment"], ["__count"]))
        total = sum(by_sentiment.values())
        negative = by_sentiment.get("negative", 0)
        converted = Mention.search_count(domain + [("lead_id", "!=", False)])
        new_identities = Identity.search_count(
            [
                ("company_id", "in", (company.id, False)),
                ("first_seen", ">=", start),
                ("first_seen", "<", end),
            ]
        )

        weeks = {}
        for week, sentiment, count in Mention._read_group(
            domain, ["posted_at:week", "sentiment"], ["__count"]
        ):
            row = weeks.setdefault(
                week.date(),
                {"week": week.date(), "positive": 0, "neutral": 0, "negative": 0},
            )
            row[sentiment or "neutral"] += count
        for row in weeks.values():
            row["total"] = row["positive"] + row["neutral"] + row["negative"]
            row["negative_pct"] = _percent(row["negative"], row["total"])

        categories = [
            {
                "category": category,
                "name": category.name if category else _("Unclassified"),
                "count": count,
                "pct": _percent(count, total),
            }
            for category, count in Mention._read_group(
                domain, ["category_id"], ["__count"], order="__count desc"
            )
        ]

        def top(influence):
            """The period's authors of that influence, ranked in SQL (a month
            has tens of thousands), with their number of mentions."""
            authors = Identity.search(
                [("mention_ids", "any", domain)] + influence,
                order="influence_score desc, id desc",
                limit=TOP_LIMIT,
            )
            mentions = dict(
                Mention._read_group(
                    domain + [("identity_id", "in", authors.ids)],
                    ["identity_id"],
                    ["__count"],
                )
            )
            return [
                {"identity": identity, "mentions": mentions[identity]}
                for identity in authors
            ]

        complaint_domain = domain + [
            ("category_id.code", "in", COMPLAINT_CODES),
            ("state", "in", OPEN_STATES),
        ]
        complaints = Mention.search(
            complaint_domain, order="posted_at desc, id desc", limit=COMPLAINT_LIMIT
        )
        complaint_count = (
            Mention.search_count(complaint_domain)
            if len(complaints) == COMPLAINT_LIMIT
            else len(complaints)
        )
        Report = self.env["social.mention.report"]
        mention_fields = Mention._fields
        networks = [
            (
                dict(mention_fields["network"]._description_selection(self.env)).get(
                    network, network or _("Unknown")
                ),
                count,
            )
            for network, count in Mention._read_group(
                domain, ["network"], ["__count"], order="__count desc"
            )
        ]
        voice_labels = dict(mention_fields["voice"]._description_selection(self.env))
        voices = [
            {
                "voice": voice,
                "name": voice_labels.get(voice, voice or _("Unknown")),
                "count": count,
                "pct": _percent(count, total),
            }
            for voice, count in Mention._read_group(
                domain, ["voice"], ["__count"], order="__count desc"
            )
        ]
        times = self._summary_times(Report, domain, total)
        conversions = self._summary_conversions(domain, total)
        return {
            "date_from": date_from,
            "date_to": date_to,
            "mention_count": total,
            "networks": networks,
            "voices": voices,
            "times": times,
            "conversions": conversions,
            "charts": self._summary_charts(weeks, networks, voices),
            "negative_count": negative,
            "negative_pct": _percent(negative, total),
            "converted_count": converted,
            "conversion_pct": _percent(converted, total),
            "new_identity_count": new_identities,
            "weeks": [weeks[key] for key in sorted(weeks)],
            "categories": categories,
            "influencers": top([("influence_type", "!=", "negative")]),
            "detractors": top([("influence_type", "=", "negative")]),
            "complaints": complaints,
            "complaint_count": complaint_count,
        }


def _hours_minutes(hours):
    """``8:30`` for 8.5 hours (the float_time of the screens)."""
    minutes = round((hours or 0.0) * 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def _percent(part, whole):
    return round(100.0 * part / whole, 1) if whole else 0.0

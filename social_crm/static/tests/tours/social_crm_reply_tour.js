/** @odoo-module */

import { registry } from "@web/core/registry";

/*
 * An agent replies to a complaint from its form: picks the suggested answer,
 * edits it while the count against the instance's limit follows, sends it;
 * the mention is Replied with the reply in its chatter.
 */
registry.category("web_tour.tours").add("social_crm_reply_tour", {
    steps: () => [
        {
            content: "Open the composer",
            trigger: ".o_form_view button[name='action_reply']",
            run: "click",
        },
        {
            content: "The author's handle is there to start with",
            trigger:
                ".modal .o_field_widget[name='body'] textarea:value(@tour_angry@mastodon.social)",
        },
        {
            content: "Use the suggested answer",
            trigger:
                ".modal .o_field_widget[name='suggested_answer_id'] .o_radio_item:contains('Router sorry') input",
            run: "click",
        },
        {
            content: "The answer is in the text, its placeholders filled",
            trigger:
                ".modal .o_field_widget[name='body'] textarea:value(@tour_angry@mastodon.social Sorry Angry Customer, a new router is on its way.)",
        },
        {
            content: "Edit it",
            trigger: ".modal .o_field_widget[name='body'] textarea",
            run: "edit @tour_angry@mastodon.social Sorry Angry Customer, a new router is on its way today.",
        },
        {
            content: "The count follows the text as it is typed",
            trigger:
                ".modal .o_field_widget[name='count_display']:contains('83 / 1000')",
        },
        {
            content: "Send it",
            trigger: ".modal footer button[name='action_send']",
            run: "click",
        },
        {
            content: "The mention is replied",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Replied')",
        },
        {
            content: "The reply is in the chatter with its link",
            trigger:
                ".o-mail-Message:contains('Replied on Mastodon'):contains('on its way today')",
        },
    ],
});

/** @odoo-module */

import { registry } from "@web/core/registry";

/*
 * A manager previews a routing rule, gives it an assignee, applies it on a
 * selection of the inbox after reading the confirmation, and the ticket
 * (one for the author's two posts) goes to the rule's assignee.
 */
registry.category("web_tour.tours").add("social_crm_helpdesk_routing_tour", {
    steps: () => [
        {
            content: "The rule's form counts the mentions matching now",
            trigger:
                ".oe_stat_button[name='action_view_matching'] .o_stat_value:contains('2')",
        },
        {
            content: "and shows them",
            trigger:
                ".o_field_widget[name='match_sample_ids'] .o_data_row:contains('charged me twice')",
        },
        {
            content: "Give the rule an assignee",
            trigger: ".o_field_widget[name='user_id'] input",
            run: "edit Tour Billing Agent",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Billing Agent')",
            run: "click",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Back to the inbox",
            trigger:
                ".o_main_navbar a[data-menu-xmlid='social_crm.social_mention_menu']",
            run: "click",
        },
        {
            content: "Select the author's two posts",
            trigger:
                ".o_data_row:contains('charged me twice') .o_list_record_selector input",
            run: "click",
        },
        {
            trigger:
                ".o_data_row:contains('still no refund') .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_cp_action_menus button:contains('Actions')",
            run: "click",
        },
        {
            content: "Apply the routing rules",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Apply Routing Rules')",
            run: "click",
        },
        {
            content: "The confirmation says what the rule will make, before it does",
            trigger:
                ".modal .o_field_widget[name='line_ids'] .o_data_row:contains('1 new ticket(s)'):contains('Tour Billing Agent')",
        },
        {
            trigger: ".modal footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Done, and said so",
            trigger: ".o_notification:contains('routing rules were applied')",
        },
    ],
});

/** @odoo-module */

import { useEffect } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useDebounced } from "@web/core/utils/timing";
import { TextField, textField } from "@web/views/fields/text/text_field";

/**
 * The reply composer's text: committed while the agent types (a pause of a
 * few hundred milliseconds is enough), so that the count against the
 * network's limit, computed on the server by the network's own rules,
 * follows the text instead of waiting for the field to lose focus.
 */
export class ReplyTextField extends TextField {
    setup() {
        super.setup();
        // The input hook commits on "change": a pause in typing sends one.
        const commit = useDebounced((el) => el.dispatchEvent(new Event("change")), 300);
        useEffect(
            (el) => {
                if (!el) {
                    return;
                }
                const onInput = () => commit(el);
                el.addEventListener("input", onInput);
                return () => el.removeEventListener("input", onInput);
            },
            () => [this.textareaRef.el]
        );
    }
}

registry.category("fields").add("social_reply_text", {
    ...textField,
    component: ReplyTextField,
});

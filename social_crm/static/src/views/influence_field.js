/** @odoo-module */

import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/views/fields/formatters";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/*
 * The influence score, shown one way everywhere: a badge with the score
 * (0-100, one decimal, no "%"), green for a promoter, red for a detractor,
 * grey for neutral, and the legend as its tooltip. The colour comes from
 * the influence type field named in options (type_field), which the view
 * must hold too.
 */
export class InfluenceField extends Component {
    static template = "social_crm.InfluenceField";
    static props = {
        ...standardFieldProps,
        typeField: { type: String, optional: true },
    };

    get value() {
        return this.props.record.data[this.props.name];
    }

    get formattedValue() {
        return formatFloat(this.value || 0, { digits: [5, 1] });
    }

    get influenceType() {
        return this.props.typeField
            ? this.props.record.data[this.props.typeField]
            : false;
    }

    get badgeClass() {
        return (
            { positive: "text-bg-success", negative: "text-bg-danger" }[
                this.influenceType
            ] || "text-bg-300"
        );
    }

    get legend() {
        const meaning =
            {
                positive: _t("a promoter: what they say of you is positive on average"),
                negative: _t(
                    "a detractor: what they say of you is negative on average"
                ),
            }[this.influenceType] || _t("neutral");
        return _t(
            "Influence %(score)s of 100, relative to the accounts of the same network; %(meaning)s. Green: promoter, red: detractor, grey: neutral.",
            { score: this.formattedValue, meaning }
        );
    }
}

export const influenceField = {
    component: InfluenceField,
    displayName: _t("Influence"),
    supportedTypes: ["float"],
    extractProps: ({ options }) => ({ typeField: options.type_field }),
};

registry.category("fields").add("social_influence", influenceField);

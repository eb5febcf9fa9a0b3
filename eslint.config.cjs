// The browser code and tours of the addons: Odoo's ES modules in the browser.
const globals = require("globals");

module.exports = [
    {
        files: ["**/static/src/**/*.js", "**/static/tests/**/*.js"],
        languageOptions: {
            ecmaVersion: 2022,
            sourceType: "module",
            globals: { ...globals.browser, odoo: "readonly", owl: "readonly" },
        },
        rules: {
            "no-undef": "error",
            "no-unused-vars": ["error", { args: "none" }],
            "no-redeclare": "error",
            "no-dupe-keys": "error",
            "no-unreachable": "error",
            eqeqeq: ["error", "smart"],
            "prefer-const": "error",
            "no-var": "error",
        },
    },
];

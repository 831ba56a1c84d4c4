/* The admin's own script, on every admin page (templates/admin/base_site.html). Deferred: it runs
   once Django's scripts are read, before they set up their widgets when the page is ready.

   Django's autocomplete boxes (select2) hide the real <select> and show boxes of their own, which
   have no name while nothing is chosen; and a box of many choices puts its "clear all" cross in
   its list, where only list items may be (axe: "ARIA input fields must have an accessible name",
   "<ul> must only directly contain <li>"). This names each autocomplete box after its field (its
   label, or the aria-label a table's box has, see content/admin_inlines.py), and leaves boxes of
   many choices without "clear all": each chosen item keeps its own cross. */
'use strict';
{
    for (const select of document.querySelectorAll('select.admin-autocomplete[multiple]')) {
        select.dataset.allowClear = 'false';
    }

    const fieldName = (select) => {
        const own = select.getAttribute('aria-label');
        if (own) {
            return own;
        }
        const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        return label ? label.textContent.replace(/:\s*$/, '').trim() : '';
    };

    const nameBoxes = (root) => {
        for (const select of root.querySelectorAll('select.admin-autocomplete')) {
            const box = select.nextElementSibling;
            const name = fieldName(select);
            if (!name || !box || !box.classList.contains('select2')) {
                continue;
            }
            const parts = box.querySelectorAll(
                '.select2-selection, .select2-selection__rendered[role="textbox"], .select2-search__field'
            );
            for (const part of parts) {
                part.setAttribute('aria-label', name);
            }
        }
    };

    if (window.django && window.django.jQuery) {
        // After Django's own ready handler (autocomplete.js, read before this script) made them.
        window.django.jQuery(() => nameBoxes(document));
        document.addEventListener('formset:added', (event) => nameBoxes(event.target));
    }
}

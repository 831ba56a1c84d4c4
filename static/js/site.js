/* The public pages' only script (templates/base.html, deferred). It does what USWDS's
   uswds.min.js did for the three components the pages use, in the same way and with the same
   classes, so that USWDS's CSS styles them unchanged (ADR 0025):

   - the official-site banner: "Here's how you know" opens and closes its panel;
   - the mobile menu: "Menu" opens the navigation as a panel, which "Close", the overlay, the
     Escape key, following a link, or widening the window past the mobile layout closes again;
     while it is open, Tab and Shift+Tab stay inside it, as USWDS's focus trap keeps them;
   - the skip link: the main content takes focus, so that the next Tab starts there.

   Without it (blocked, failed, still loading), the banner's panel stays closed and, on a narrow
   screen, the menu does not open: as with USWDS's own script, which this replaces because it
   runs every component's setup on every page (79 KB, a long task on a phone). */
'use strict';
{
    // Banner: the button's aria-expanded and the panel's hidden attribute say the same thing.
    for (const button of document.querySelectorAll('.usa-banner__button')) {
        const panel = document.getElementById(button.getAttribute('aria-controls'));
        const header = button.closest('.usa-banner__header');
        button.addEventListener('click', () => {
            const open = button.getAttribute('aria-expanded') !== 'true';
            button.setAttribute('aria-expanded', String(open));
            if (panel) {
                panel.hidden = !open;
            }
            if (header) {
                header.classList.toggle('usa-banner__header--expanded', open);
            }
        });
    }

    // Mobile navigation.
    const body = document.body;
    const nav = document.querySelector('.usa-nav');
    const menuButton = document.querySelector('.usa-menu-btn');
    const closeButton = nav && nav.querySelector('.usa-nav__close');
    const overlay = document.querySelector('.usa-overlay');
    const isOpen = () => body.classList.contains('usa-js-mobile-nav--active');

    const focusable = () =>
        [...nav.querySelectorAll('a[href], button:not([disabled]), input:not([disabled])')].filter(
            (element) => element.offsetParent !== null,
        );

    const trapTab = (event) => {
        if (event.key === 'Escape') {
            toggleNav(false);
            return;
        }
        if (event.key !== 'Tab') {
            return;
        }
        const items = focusable();
        const first = items[0];
        const last = items[items.length - 1];
        if (event.shiftKey && document.activeElement === first) {
            event.preventDefault();
            last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
            event.preventDefault();
            first.focus();
        }
    };

    const toggleNav = (open) => {
        if (open === isOpen()) {
            return;
        }
        body.classList.toggle('usa-js-mobile-nav--active', open);
        nav.classList.toggle('is-visible', open);
        if (overlay) {
            overlay.classList.toggle('is-visible', open);
        }
        if (open) {
            document.addEventListener('keydown', trapTab);
            closeButton.focus();
        } else {
            document.removeEventListener('keydown', trapTab);
            // Back to the button that opened it, when it is there to take focus (mobile layout).
            if (menuButton && menuButton.offsetParent !== null) {
                menuButton.focus();
            }
        }
    };

    if (nav && menuButton && closeButton) {
        menuButton.addEventListener('click', () => toggleNav(true));
        closeButton.addEventListener('click', () => toggleNav(false));
        if (overlay) {
            overlay.addEventListener('click', () => toggleNav(false));
        }
        // A link in the panel leads away (or to a part of this page): the panel closes.
        nav.addEventListener('click', (event) => {
            if (isOpen() && event.target.closest('a[href]')) {
                toggleNav(false);
            }
        });
        // Wider than the mobile layout, the menu button is hidden and the panel is the header's
        // row of links: an open panel would leave the page locked behind the overlay.
        window.addEventListener('resize', () => {
            if (isOpen() && menuButton.offsetParent === null) {
                toggleNav(false);
            }
        });
    }

    // Skip link: focus the target itself (a <main> is not focusable without a tabindex).
    for (const link of document.querySelectorAll('.usa-skipnav[href^="#"]')) {
        link.addEventListener('click', () => {
            const target = document.getElementById(link.getAttribute('href').slice(1));
            if (!target) {
                return;
            }
            target.setAttribute('tabindex', '-1');
            target.focus();
            target.addEventListener('blur', () => target.removeAttribute('tabindex'), { once: true });
        });
    }
}

/**
 * Shared definitions where they are used: a glossary term in a search snippet or in the text of
 * a microsite is underlined, and a tap (or Enter) shows its definition right there, without
 * opening anything else. Tablets are touch-first, so the taps are touch taps.
 */
import { expect, test } from './fixtures';
import { GlossaryTermsPage } from './pages/glossary-terms-page';

test.use({ hasTouch: true });

test.describe('glossary terms in use', () => {
  test('a term in a search snippet is underlined; a tap shows its definition and opens nothing', async ({
    home,
    search,
    viewer,
    page,
  }) => {
    const glossary = new GlossaryTermsPage(page);
    await home.open();
    await search.openWithSlash();
    await search.typeQuery('dealer discount');
    await search.expectAnswered('dealer discount');

    const hit = search.pageHitsOf('price-sheet-2026').first();
    const term = glossary.termsIn(hit, 'dealer').first();
    await expect(term).toBeVisible();
    await expect(term).toHaveCSS('text-decoration-style', 'dotted');
    // The search highlight is still there, inside the term.
    await expect(term.locator('mark')).toHaveText(/^dealer$/i);
    await expect(glossary.termsIn(hit, 'distributor').first()).toBeVisible();

    const before = page.url();
    await term.tap();
    await expect(glossary.popover).toBeVisible();
    await expect(glossary.popover).toHaveAttribute('data-entry-id', 'dealer');
    await expect(glossary.popoverDefinition).toHaveText(/^A certified partner that sells, installs/);
    await expect(term).toHaveAttribute('aria-expanded', 'true');
    expect(page.url()).toBe(before);
    await expect(viewer.pdf).toHaveCount(0);

    // Escape closes the definition, not the search.
    await page.keyboard.press('Escape');
    await expect(glossary.popover).toHaveCount(0);
    await expect(search.panel).toBeVisible();
    await expect(search.input).toHaveValue('dealer discount');

    // From the keyboard: Enter opens it with the focus inside, Escape gives the focus back.
    await term.focus();
    await page.keyboard.press('Enter');
    await expect(glossary.popover).toBeVisible();
    await expect(glossary.popoverClose).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(glossary.popover).toHaveCount(0);
    await expect(term).toBeFocused();

    // A tap elsewhere closes it; the rest of the row still opens the page.
    await term.tap();
    await expect(glossary.popover).toBeVisible();
    await search.input.tap();
    await expect(glossary.popover).toHaveCount(0);
    await hit.tap({ position: { x: 12, y: 12 } });
    await expect(viewer.pdf).toHaveAttribute('data-item-id', 'price-sheet-2026');
  });

  test('a term in the demo microsite is underlined; a tap shows its definition inside the frame', async ({
    home,
    page,
    app,
  }) => {
    const glossary = new GlossaryTermsPage(page);
    await home.open();
    await home.openItem('roi-calculator');

    const term = glossary.frameTerms('dealer').first();
    await expect(term).toBeVisible();
    await expect(term).toHaveText('dealer');
    await expect(term).toHaveCSS('text-decoration-style', 'dotted');
    await expect(term).toHaveAttribute('role', 'button');

    // A click, not a tap: emulated touch (CDP) in an out-of-process frame sends the click that
    // follows a tap to a point shifted by the frame's offset. Taps are covered in the last test.
    await term.click();
    await expect(glossary.framePopover).toBeVisible();
    await expect(glossary.framePopover).toHaveAttribute('data-entry-id', 'dealer');
    await expect(glossary.framePopoverText()).toHaveText(/^A certified partner that sells, installs/);
    await expect(term).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('Escape');
    await expect(glossary.framePopover).toBeHidden();
    await expect(term).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('microsite-viewer')).toBeVisible();

    // From the keyboard: Enter opens it with the focus on its close button; Escape gives the
    // focus back to the term.
    await term.focus();
    await page.keyboard.press('Enter');
    await expect(glossary.framePopover).toBeVisible();
    await expect(glossary.framePopoverClose()).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(glossary.framePopover).toBeHidden();
    await expect(term).toBeFocused();

    // Links, buttons and form controls are never touched.
    await expect(glossary.frame.locator(':is(a, button, select, label, output) pitchcase-term')).toHaveCount(0);

    // Our script came from the site origin under the unchanged site CSP, which still refuses
    // everything else: network calls and scripts from anywhere but the microsite itself.
    const frame = page.frames().find((candidate) => candidate.url().startsWith(app.siteUrl));
    if (!frame) throw new Error(`No frame from ${app.siteUrl}`);
    const outcome = await frame.evaluate(async (appUrl) => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) => violations.push(event.effectiveDirective));
      const fetched = await fetch(location.href).then(
        () => 'loaded',
        () => 'refused',
      );
      const script = await new Promise<string>((resolve) => {
        const element = document.createElement('script');
        element.src = new URL('/favicon.svg', appUrl).href;
        element.onload = () => resolve('loaded');
        element.onerror = () => resolve('refused');
        document.body.append(element);
      });
      return { fetched, script, violations: violations.sort() };
    }, app.url);
    expect(outcome).toEqual({ fetched: 'refused', script: 'refused', violations: ['connect-src', 'script-src-elem'] });
  });

  test('odd pages: only readable text is wrapped, phrases win, late and huge text is handled', async ({
    page,
    app,
    request,
  }) => {
    const glossary = new GlossaryTermsPage(page);
    // The script exactly as microsite pages get it, on a page we write ourselves.
    const script = await request.get(`${app.siteUrl}/roi-calculator/__pitchcase/glossary.js`);
    expect(script.ok()).toBe(true);
    await page.setContent(`
      <p id="prose">Every qualified lead starts as a lead; dealers and a Distributor's stock.</p>
      <p id="skipped"><a href="#">lead</a><button>lead</button><code>lead</code><textarea>lead</textarea><input value="lead">
        <select><option>lead</option></select><span contenteditable="true">lead</span><span hidden>lead</span></p>
      <p id="markup">&lt;b&gt;lead&lt;/b&gt; <script>/* lead */</script><style>/* lead */</style></p>
      <div id="huge"></div>
    `);
    await page.evaluate(() => {
      const huge = document.getElementById('huge')!;
      for (let i = 0; i < 5000; i += 1)
        huge.append(Object.assign(document.createElement('p'), { textContent: `Row ${i}: nothing to see here.` }));
      huge.append(Object.assign(document.createElement('p'), { id: 'last', textContent: 'The last reseller.' }));
    });
    await page.addScriptTag({ content: await script.text() });

    const prose = page.locator('#prose pitchcase-term');
    await expect(prose).toHaveText(['qualified lead', 'lead', 'dealers', "Distributor's"]);
    expect(await prose.evaluateAll((terms) => terms.map((term) => term.getAttribute('data-pitchcase-term')))).toEqual([
      'qualified-lead',
      'lead',
      'dealer',
      'distributor',
    ]);
    await expect(page.locator('#prose')).toHaveText(
      "Every qualified lead starts as a lead; dealers and a Distributor's stock.",
    );
    await expect(page.locator('#last pitchcase-term')).toHaveText('reseller');
    await expect(
      page.locator('#skipped pitchcase-term, #markup script pitchcase-term, #markup style pitchcase-term'),
    ).toHaveCount(0);
    // Escaped markup is text: the word in it is a term, and nothing became an element.
    await expect(page.locator('#markup pitchcase-term')).toHaveText(['lead']);
    await expect(page.locator('#markup b')).toHaveCount(0);

    // Text the page adds later is read too.
    await page.evaluate(() =>
      document.body.append(
        Object.assign(document.createElement('p'), { id: 'late', textContent: 'A late opportunity.' }),
      ),
    );
    await expect(page.locator('#late pitchcase-term')).toHaveText('opportunity');

    // A click on a term belongs to the term: a handler around it does not fire.
    await page.evaluate(() => {
      (window as unknown as { rowClicks: number }).rowClicks = 0;
      document
        .getElementById('prose')!
        .addEventListener('click', () => (window as unknown as { rowClicks: number }).rowClicks++);
    });
    await prose.first().tap();
    const popover = glossary.page.locator('pitchcase-definition');
    await expect(popover).toBeVisible();
    await expect(popover.locator('p')).toHaveText(/^A lead a rep or dealer has spoken to/);
    expect(await page.evaluate(() => (window as unknown as { rowClicks: number }).rowClicks)).toBe(0);
    // Its own close button is a finger's size, and a tap outside closes it too.
    const close = popover.locator('button');
    const size = await close.boundingBox();
    expect(Math.min(size!.width, size!.height)).toBeGreaterThanOrEqual(44);
    await page.locator('#last').tap();
    await expect(popover).toBeHidden();
    await prose.nth(2).tap();
    await expect(popover.locator('p')).toHaveText(/^A certified partner/);
    await close.tap();
    await expect(popover).toBeHidden();
  });
});

import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** Studio's screens as a person uses them; selectors stay here, out of the test bodies. */
export class StudioPage {
  constructor(readonly page: Page) {}

  async createFirstAdmin(setupUrl: string, who: { name: string; email: string; password: string }) {
    await this.page.goto(setupUrl);
    await this.page.getByLabel('Name').fill(who.name);
    await this.page.getByLabel('E-mail').fill(who.email);
    await this.page.getByLabel(/Password/).fill(who.password);
    await this.page.getByRole('button', { name: 'Create admin' }).click();
    await expect(this.page.getByRole('heading', { name: 'Library' })).toBeVisible();
  }

  async signIn(email: string, password: string) {
    await this.page.getByLabel('E-mail').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
    await expect(this.page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  }

  async signOut() {
    await this.page.getByRole('button', { name: 'Sign out' }).click();
    await expect(this.page.getByRole('heading', { name: 'Sign in to Pitchcase Studio' })).toBeVisible();
  }

  tab(name: 'Library' | 'Review & publish' | 'People') {
    return this.page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name });
  }

  async addPerson(person: { name: string; email: string; role: string; password: string }) {
    await this.tab('People').click();
    const form = this.page.getByRole('form', { name: 'Add a person' });
    await form.getByLabel('Name').fill(person.name);
    await form.getByLabel('E-mail').fill(person.email);
    await form.getByLabel('Role').selectOption(person.role);
    await form.getByLabel('First password').fill(person.password);
    await form.getByRole('button', { name: 'Add person' }).click();
    await expect(this.page.getByRole('cell', { name: person.email })).toBeVisible();
  }

  async setUpSingleSignOn(settings: { issuer: string; clientId: string; clientSecret: string; label: string }) {
    await this.tab('People').click();
    await this.page.getByText(/^Single sign-on \(OpenID Connect\)/).click();
    const form = this.page.getByRole('form', { name: 'Single sign-on settings' });
    await form.getByLabel('Issuer URL').fill(settings.issuer);
    await form.getByLabel('Client id').fill(settings.clientId);
    await form.getByLabel('Client secret').fill(settings.clientSecret);
    await form.getByLabel(/Button says/).fill(settings.label);
    await form.getByLabel('Offer single sign-on on the sign-in page').check();
    await form.getByRole('button', { name: 'Save single sign-on' }).click();
    await expect(form.getByRole('status')).toHaveText('Single sign-on saved.');
  }

  async upload(files: { name: string; mimeType: string; buffer: Buffer }[]) {
    await this.tab('Library').click();
    await this.page.getByLabel('Files to upload').setInputFiles(files);
    for (const file of files)
      await expect(this.page.getByRole('list', { name: 'Uploads' }).getByText(file.name)).toBeVisible();
  }

  async uploadFolder(dir: string) {
    await this.tab('Library').click();
    await this.page.getByLabel('Folder to upload').setInputFiles(dir);
  }

  /**
   * Drops a folder on the upload zone as Chromium delivers one: DataTransfer items whose
   * webkitGetAsEntry() is a directory entry, read in batches. Playwright cannot drag a real folder
   * from the desktop, so the entry tree is built in the page from real File objects.
   */
  async dropFolder(folder: { name: string; files: { path: string; text?: string; bytes?: number[] }[] }) {
    await this.tab('Library').click();
    await this.page.locator('.studio-drop').evaluate((zone, spec) => {
      type Entry = {
        isFile: boolean;
        isDirectory: boolean;
        name: string;
        file?: (ok: (f: File) => void) => void;
        createReader?: () => { readEntries(ok: (e: Entry[]) => void): void };
      };
      const dir = (name: string, children: Entry[]): Entry => ({
        isFile: false,
        isDirectory: true,
        name,
        createReader() {
          let at = 0;
          return {
            readEntries(ok) {
              ok(children.slice(at, at + 1));
              at += 1;
            },
          };
        },
      });
      const tree = new Map<string, Entry[]>([['', []]]);
      for (const f of spec.files) {
        const parts = f.path.split('/');
        const name = parts.pop()!;
        let parent = '';
        for (const part of parts) {
          const here = parent ? `${parent}/${part}` : part;
          if (!tree.has(here)) {
            tree.set(here, []);
            tree.get(parent)!.push(dir(part, tree.get(here)!));
          }
          parent = here;
        }
        const content = f.bytes ? new Uint8Array(f.bytes) : (f.text ?? '');
        const file = new File([content], name);
        tree.get(parent)!.push({ isFile: true, isDirectory: false, name, file: (ok) => ok(file) });
      }
      const root = dir(spec.name, tree.get('')!);
      const drop = new Event('drop', { bubbles: true, cancelable: true });
      Object.defineProperty(drop, 'dataTransfer', {
        value: { items: [{ kind: 'file', webkitGetAsEntry: () => root, getAsFile: () => null }], files: [] },
      });
      zone.dispatchEvent(drop);
    }, folder);
  }

  row(title: string) {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('button', { name: title }) });
  }

  async editTitle(current: string, title: string) {
    await this.page.getByRole('button', { name: current }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByLabel('Title').fill(title);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
  }

  async addCollection(id: string, title: string) {
    await this.page.getByText(/^Collections \(/).click();
    await this.page.getByRole('button', { name: 'Add collection' }).click();
    const list = this.page.getByRole('list', { name: 'Collections in order' });
    await list
      .getByRole('textbox', { name: /^Id of collection/ })
      .last()
      .fill(id);
    await list
      .getByRole('textbox', { name: /^Title of collection/ })
      .last()
      .fill(title);
    await this.page.getByRole('button', { name: 'Save collections' }).click();
    await expect(this.page.getByRole('status')).toHaveText('Collections saved to the draft.');
  }

  async addGlossaryTerm(term: { id: string; term: string; definition: string }) {
    await this.page.getByText(/^Glossary \(/).click();
    await this.page.getByRole('button', { name: 'Add term' }).click();
    const list = this.page.getByRole('list', { name: 'Glossary terms' });
    await list
      .getByRole('textbox', { name: /^Id of term/ })
      .last()
      .fill(term.id);
    await list
      .getByRole('textbox', { name: /^Term \d/ })
      .last()
      .fill(term.term);
    await list
      .getByRole('textbox', { name: /^Definition of term/ })
      .last()
      .fill(term.definition);
    await this.page.getByRole('button', { name: 'Save glossary and attract loop' }).click();
    await expect(this.page.getByText('Glossary and attract loop saved to the draft.')).toBeVisible();
  }

  /** Opens an item, unfolds its history, returns the dialog; closes with closeItem(). */
  async itemHistory(title: string) {
    await this.page.getByRole('button', { name: title }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByText(/^History/).click();
    return dialog;
  }

  async closeItem() {
    await this.page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await expect(this.page.getByRole('dialog')).toBeHidden();
  }

  async bulkAddTag(titles: string[], tag: string) {
    for (const title of titles) await this.page.getByRole('checkbox', { name: `Select ${title}` }).check();
    const form = this.page.getByRole('form', { name: 'Edit selected items' });
    await form.getByLabel('Add tags').fill(tag);
    await form.getByRole('button', { name: /Apply to/ }).click();
    await expect(form).toBeHidden();
  }

  /** No serious or critical accessibility violations on the screen as it is now. */
  async expectAccessible(screen: string) {
    const results = await new AxeBuilder({ page: this.page }).analyze();
    const bad = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(bad, screen).toEqual([]);
  }

  /** Starts a preview of the draft; returns the previewed app's frame once it shows the library. */
  async previewAs(device: 'tablet' | 'kiosk') {
    await this.page.getByRole('button', { name: `Preview as ${device}` }).click();
    const frame = this.page.getByTitle(`Preview as ${device}`);
    // Building a preview publishes the draft and starts a core: on a busy 2-core machine that
    // took past the default 15 s.
    await expect(frame).toBeVisible({ timeout: 60_000 });
    const size = device === 'tablet' ? { width: '1440', height: '960' } : { width: '1920', height: '1080' };
    await expect(frame).toHaveAttribute('width', size.width);
    await expect(frame).toHaveAttribute('height', size.height);
    return this.page.frameLocator(`iframe[title="Preview as ${device}"]`);
  }

  async closePreview() {
    await this.page.getByRole('button', { name: 'Close preview' }).click();
    await expect(this.page.locator('iframe')).toHaveCount(0);
  }

  releaseRow(state: string) {
    return this.page.getByRole('row').filter({ has: this.page.getByText(state, { exact: true }) });
  }
}

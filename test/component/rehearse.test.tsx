/**
 * The Rehearse screen against a fake core and a stand-in microphone: prompts with their key
 * messages and time limit, a take recorded and kept through the core, the best one marked, and
 * a refused or missing microphone said plainly.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PracticePrompt, RehearsalTake } from '#shared/rehearse';
import { RehearseScreen } from '../../renderer/rehearse/RehearseScreen';
import { FakeCore, renderWith } from './fake-core';

const twinTrain: PracticePrompt = {
  id: 'twin-train',
  title: "The AquaCore 500's twin-train redundancy in 60 seconds",
  attachedTo: { kind: 'item', itemId: 'aquacore-500-brochure', title: 'AquaCore 500 brochure' },
  keyMessages: ['two trains', 'one keeps running during service'],
  timeLimitSeconds: 60,
  takes: 0,
  bestTakeId: null,
};
const leadTerm: PracticePrompt = {
  id: 'lead',
  title: 'What is a qualified lead?',
  attachedTo: { kind: 'term', termId: 'qualified-lead', title: 'Qualified lead' },
  keyMessages: ['budget'],
  timeLimitSeconds: 45,
  takes: 0,
  bestTakeId: null,
};

/** A MediaRecorder that hands over one chunk of "audio" when stopped. */
class StandInRecorder {
  static isTypeSupported = (mime: string) => mime === 'audio/webm;codecs=opus';
  state: 'inactive' | 'recording' = 'inactive';
  mimeType = 'audio/webm;codecs=opus';
  ondataavailable: ((event: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  onerror: (() => void) | null = null;
  start() {
    this.state = 'recording';
  }
  stop() {
    this.state = 'inactive';
    this.ondataavailable?.({ data: new Blob(['take bytes'], { type: this.mimeType }) });
    this.onstop?.();
  }
}

function microphone(getUserMedia: () => Promise<unknown>) {
  vi.stubGlobal('MediaRecorder', StandInRecorder);
  Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: { getUserMedia } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

function core(takes: RehearsalTake[] = []) {
  const fake = new FakeCore();
  fake
    .answer('listPracticePrompts', () => [twinTrain, leadTerm])
    .answer('listRehearsalTakes', () => takes)
    .answer('saveRehearsalTake', (arg) => {
      const take: RehearsalTake = {
        id: `take-${takes.length + 1}`,
        promptId: arg.promptId,
        promptTitle: twinTrain.title,
        recordedAt: '2026-12-06T05:00:00.000Z',
        durationMs: arg.durationMs,
        mime: arg.mime,
        size: 10,
        best: false,
        review: null,
      };
      takes.unshift(take);
      return take;
    })
    .answer('markBestTake', ({ id, best }) => {
      for (const t of takes) t.best = t.id === id ? best : best ? false : t.best;
      return takes.find((t) => t.id === id)!;
    });
  return fake;
}

describe('RehearseScreen', () => {
  it('lists the prompts and, for the one picked, its key messages and time limit', async () => {
    const onPick = vi.fn();
    renderWith(core(), <RehearseScreen promptId={null} onPick={onPick} onBack={() => {}} />);
    fireEvent.click(await screen.findByTestId('prompt-lead'));
    expect(onPick).toHaveBeenCalledWith('lead');
    expect(screen.getByTestId('prompt-lead').textContent).toContain('Term: Qualified lead · 0:45 · 0 takes');
    expect(screen.getByTestId('rehearse-pick').textContent).toBe('Pick a prompt to practise.');
  });

  it('records a take, keeps it through the core at once, and marks it best', async () => {
    const stop = vi.fn();
    microphone(async () => ({ getTracks: () => [{ stop }] }));
    const fake = core();
    renderWith(fake, <RehearseScreen promptId="twin-train" onPick={() => {}} onBack={() => {}} />);
    const brief = await screen.findByTestId('rehearse-brief');
    expect(
      within(brief)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['two trains', 'one keeps running during service']);
    expect(screen.getByTestId('rehearse-limit').textContent).toBe('Time limit: 1:00');
    expect(await screen.findByTestId('rehearse-no-takes')).toBeTruthy();

    fireEvent.click(screen.getByTestId('rehearse-record'));
    fireEvent.click(await screen.findByTestId('rehearse-stop'));
    await waitFor(() => expect(screen.getAllByTestId('rehearse-take')).toHaveLength(1));
    // The microphone is let go as soon as the take ends.
    expect(stop).toHaveBeenCalled();
    const [saved] = fake.callsTo('saveRehearsalTake') as { promptId: string; mime: string; audioBase64: string }[];
    expect(saved).toMatchObject({ promptId: 'twin-train', mime: 'audio/webm;codecs=opus' });
    expect(atob(saved!.audioBase64)).toBe('take bytes');

    fireEvent.click(screen.getByTestId('take-best'));
    await waitFor(() => expect(screen.getByTestId('rehearse-take').getAttribute('data-best')).toBe('true'));
    expect(fake.callsTo('markBestTake')).toEqual([{ id: 'take-1', best: true }]);
  });

  it.each([
    ['NotAllowedError', /may not use the microphone/],
    ['NotFoundError', /No microphone was found/],
    ['NotReadableError', /busy in another program/],
  ])('says plainly why it cannot record (%s), and keeps nothing', async (name, message) => {
    microphone(async () => {
      throw new DOMException('denied', name);
    });
    const fake = core();
    renderWith(fake, <RehearseScreen promptId="twin-train" onPick={() => {}} onBack={() => {}} />);
    fireEvent.click(await screen.findByTestId('rehearse-record'));
    expect((await screen.findByTestId('rehearse-problem')).textContent).toMatch(message);
    expect(fake.callsTo('saveRehearsalTake')).toEqual([]);
    expect((screen.getByTestId('rehearse-record') as HTMLButtonElement).disabled).toBe(false);
  });

  it('says so when the library has no practice prompts', async () => {
    const fake = new FakeCore().answer('listPracticePrompts', () => []);
    renderWith(fake, <RehearseScreen promptId={null} onPick={() => {}} onBack={() => {}} />);
    expect((await screen.findByTestId('rehearse-empty')).textContent).toContain('No practice prompts yet');
  });
});

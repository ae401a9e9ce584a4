/** How pitches read on screen, pure: readiness badges and why a step cannot be shown. */
import type { PitchStep, StepProblem } from '#shared/presenting';

const problems: Record<StepProblem, string> = {
  expired: 'the item has expired',
  removed: 'the item is no longer in the library',
  'page-removed': 'the new version no longer has this page',
  'slide-removed': 'marketing removed this slide from the deck',
  'missing-file': 'its file is not on this device yet',
};

export function problemText(problem: StepProblem): string {
  return problems[problem];
}

/** "Ready offline", "1 step needs attention", "2 steps need attention"; empty pitches say so. */
export function readinessLabel(pitch: { ready: boolean; stepCount: number }, problemCount: number | null): string {
  if (pitch.stepCount === 0) return 'No steps yet';
  if (pitch.ready) return 'Ready offline';
  if (problemCount === null || problemCount === 0) return 'Not ready offline';
  return problemCount === 1 ? '1 step needs attention' : `${problemCount} steps need attention`;
}

export function stepLabel(step: Pick<PitchStep, 'page' | 'kind'>): string {
  if (step.page !== null) return `Page ${step.page}`;
  return step.kind === 'pdf' || step.kind === null ? 'Whole document' : 'Whole item';
}

export function stepCountLabel(count: number): string {
  return count === 1 ? '1 step' : `${count} steps`;
}

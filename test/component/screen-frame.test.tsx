/**
 * The frame the Quizzes and Rehearse screens share: a labelled modal dialog whose Back button and
 * Escape key both leave, unless a dialog on top has already taken the Escape for itself.
 */
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ScreenFrame } from '../../renderer/ui/ScreenFrame';

describe('ScreenFrame', () => {
  it('is a modal dialog named by its title, with the content in its body', () => {
    render(
      <ScreenFrame name="quizzes" title="Quizzes" onBack={() => {}}>
        <p>Pick a quiz to take.</p>
      </ScreenFrame>,
    );
    const dialog = screen.getByRole('dialog', { name: 'Quizzes' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.getAttribute('data-testid')).toBe('quizzes-screen');
    expect(dialog.querySelector('.quizzes-screen__body')?.textContent).toBe('Pick a quiz to take.');
  });

  it('leaves by the Back button and by Escape', () => {
    const onBack = vi.fn();
    render(
      <ScreenFrame name="rehearse" title="Rehearse" onBack={onBack}>
        <p>Pick a prompt to practise.</p>
      </ScreenFrame>,
    );
    fireEvent.click(screen.getByTestId('rehearse-back'));
    expect(onBack).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onBack).toHaveBeenCalledTimes(2);
    fireEvent.keyDown(window, { key: 'Enter' });
    expect(onBack).toHaveBeenCalledTimes(2);
  });

  it('stays open when a dialog on top has handled the Escape', () => {
    const onBack = vi.fn();
    render(
      <ScreenFrame name="rehearse" title="Rehearse" onBack={onBack}>
        <p>Pick a prompt to practise.</p>
      </ScreenFrame>,
    );
    const escape = new KeyboardEvent('keydown', { key: 'Escape', cancelable: true });
    escape.preventDefault();
    window.dispatchEvent(escape);
    expect(onBack).not.toHaveBeenCalled();
  });

  it('stops listening for Escape once closed', () => {
    const onBack = vi.fn();
    const { unmount } = render(
      <ScreenFrame name="quizzes" title="Quizzes" onBack={onBack}>
        <p>Pick a quiz to take.</p>
      </ScreenFrame>,
    );
    unmount();
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onBack).not.toHaveBeenCalled();
  });
});

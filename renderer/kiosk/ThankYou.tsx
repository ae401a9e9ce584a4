import { useEffect } from 'react';
import { CheckCircleIcon } from './kiosk-icons';

/** How long the thank-you stays before the kiosk resets for the next visitor. */
export const thankYouMs = 8_000;

export function ThankYou({ message, onFinish }: { message: string; onFinish(): void }) {
  useEffect(() => {
    const timer = setTimeout(onFinish, thankYouMs);
    return () => clearTimeout(timer);
  }, [onFinish]);
  return (
    <div className="thank-you" data-testid="thank-you" role="status" onClick={onFinish}>
      <CheckCircleIcon size={88} className="thank-you__icon" />
      <h1 className="thank-you__title" data-testid="thank-you-message">
        {message}
      </h1>
      <p className="thank-you__detail">Your details are saved. This screen clears for the next visitor in a moment.</p>
      <div className="thank-you__bar" aria-hidden="true" style={{ animationDuration: `${thankYouMs}ms` }} />
    </div>
  );
}

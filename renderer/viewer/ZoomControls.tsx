import { FitIcon, ZoomInIcon, ZoomOutIcon } from '../ui/icons';
import { stepScale } from './gestures';

export interface ZoomControlsProps {
  scale: number;
  zoomTo(scale: number): void;
  /** Back to the fitted view; `fitLabel` says what is fitted ("page", "image"). */
  onFit(): void;
  fitLabel: string;
  fitted: boolean;
}

/** Zoom out, the zoom level, zoom in and fit: the buttons every zoomable viewer shows. */
export function ZoomControls({ scale, zoomTo, onFit, fitLabel, fitted }: ZoomControlsProps) {
  return (
    <div className="zoom-controls" role="group" aria-label="Zoom">
      <button
        type="button"
        className="icon-button icon-button--on-dark"
        aria-label="Zoom out"
        disabled={scale <= 1}
        onClick={() => zoomTo(stepScale(scale, 'out'))}
      >
        <ZoomOutIcon />
      </button>
      <span className="zoom-controls__value" aria-live="polite">
        {Math.round(scale * 100)}%
      </span>
      <button
        type="button"
        className="icon-button icon-button--on-dark"
        aria-label="Zoom in"
        disabled={scale >= 5}
        onClick={() => zoomTo(stepScale(scale, 'in'))}
      >
        <ZoomInIcon />
      </button>
      <button
        type="button"
        className="icon-button icon-button--on-dark"
        aria-label={`Fit ${fitLabel} to screen`}
        disabled={fitted}
        onClick={onFit}
      >
        <FitIcon />
      </button>
    </div>
  );
}

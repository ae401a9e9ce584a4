import { useEffect, useRef, useState } from 'react';
import { previewDevices, type PreviewDevice, type PreviewView } from '#shared/studio';
import { studioApi } from './api.ts';

/**
 * "Preview as tablet" and "Preview as kiosk": Studio builds the draft into a throw-away release
 * and runs the real app on it; here it is framed at the device's own size, scaled to fit.
 */
export function DevicePreviewButtons({ channel, disabled }: { channel: string; disabled?: boolean }) {
  const [preview, setPreview] = useState<PreviewView | null>(null);
  const [starting, setStarting] = useState<PreviewDevice | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = async (device: PreviewDevice) => {
    setStarting(device);
    setError(null);
    try {
      setPreview(await studioApi.startPreview(channel, device));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setStarting(null);
    }
  };
  const close = () => {
    if (preview) void studioApi.stopPreview(preview.id).catch(() => {});
    setPreview(null);
  };
  // A preview runs a core on the server: close it when this screen goes.
  const open = useRef<PreviewView | null>(null);
  open.current = preview;
  useEffect(() => () => void (open.current && studioApi.stopPreview(open.current.id).catch(() => {})), []);

  return (
    <div className="studio-preview">
      <div className="studio-actions">
        {(Object.keys(previewDevices) as PreviewDevice[]).map((device) => (
          <button
            key={device}
            type="button"
            className="button"
            disabled={disabled || starting !== null}
            aria-busy={starting === device}
            onClick={() => void start(device)}
          >
            {starting === device ? `Building the ${device} preview…` : `Preview as ${device}`}
          </button>
        ))}
      </div>
      {error && (
        <p role="alert" className="studio-error">
          {error}
        </p>
      )}
      {preview && <PreviewFrame preview={preview} onClose={close} />}
    </div>
  );
}

export function PreviewFrame({ preview, onClose }: { preview: PreviewView; onClose(): void }) {
  const box = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(0.5);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const fit = () => setScale(Math.min(1, element.clientWidth / preview.width));
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(element);
    return () => observer.disconnect();
  }, [preview.width]);
  const label = `Preview as ${preview.device}`;
  return (
    <figure className="studio-card studio-card--wide studio-preview__figure" aria-label={label}>
      <figcaption className="studio-actions">
        <strong>
          {label} ({preview.width}×{preview.height}, {Math.round(scale * 100)}%)
        </strong>
        <span className="studio-muted">
          The draft with {preview.items} item{preview.items === 1 ? '' : 's'}, as the app shows it; not published.
        </span>
        <span className="studio-spacer" />
        <a className="button" href={preview.url} target="_blank" rel="noreferrer">
          Open full size
        </a>
        <button type="button" className="button" onClick={onClose}>
          Close preview
        </button>
      </figcaption>
      <div ref={box} className="studio-preview__box" style={{ height: preview.height * scale }}>
        <iframe
          title={label}
          src={preview.url}
          width={preview.width}
          height={preview.height}
          style={{ transform: `scale(${scale})` }}
          className="studio-preview__frame"
        />
      </div>
    </figure>
  );
}

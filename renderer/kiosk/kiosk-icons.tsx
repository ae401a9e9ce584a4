/** The few drawings only the kiosk needs, on the 24px grid of ui/icons. */
import type { SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement> & { size?: number };

function line(size: number, rest: SVGProps<SVGSVGElement>) {
  return {
    width: size,
    height: size,
    viewBox: '0 0 24 24',
    fill: 'none',
    stroke: 'currentColor',
    strokeWidth: 1.8,
    strokeLinecap: 'round' as const,
    strokeLinejoin: 'round' as const,
    'aria-hidden': true,
    focusable: false,
    ...rest,
  };
}

export const TouchIcon = ({ size = 24, ...rest }: IconProps) => (
  <svg {...line(size, rest)}>
    <path d="M9 11.5V5.8a1.8 1.8 0 0 1 3.6 0v5.2" />
    <path d="M12.6 10.2a1.8 1.8 0 0 1 3.6 0v1.3a1.8 1.8 0 0 1 3.3 1v3.2a5.3 5.3 0 0 1-5.3 5.3h-1.5a5 5 0 0 1-3.9-1.9L5 14.6a1.7 1.7 0 0 1 2.6-2.2L9 13.8" />
  </svg>
);
export const CheckCircleIcon = ({ size = 24, ...rest }: IconProps) => (
  <svg {...line(size, rest)}>
    <circle cx="12" cy="12" r="9" />
    <path d="M8 12.3l2.7 2.7L16.2 9.5" />
  </svg>
);
export const ChatIcon = ({ size = 24, ...rest }: IconProps) => (
  <svg {...line(size, rest)}>
    <path d="M4.5 6.5a2.5 2.5 0 0 1 2.5-2.5h10a2.5 2.5 0 0 1 2.5 2.5v7a2.5 2.5 0 0 1-2.5 2.5H11l-4.5 3.5V16H7a2.5 2.5 0 0 1-2.5-2.5z" />
  </svg>
);
export const DoneIcon = ({ size = 24, ...rest }: IconProps) => (
  <svg {...line(size, rest)}>
    <path d="M14 4.5h3.5a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H14" />
    <path d="M9.5 8L5.5 12l4 4M5.5 12H15" />
  </svg>
);
export const LockIcon = ({ size = 24, ...rest }: IconProps) => (
  <svg {...line(size, rest)}>
    <rect x="5" y="10.5" width="14" height="9.5" rx="2" />
    <path d="M8.5 10.5V8a3.5 3.5 0 0 1 7 0v2.5" />
  </svg>
);

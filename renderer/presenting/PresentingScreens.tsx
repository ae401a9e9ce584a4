/**
 * The presenting screens on top of the library, chosen by route: the pitch list, the builder,
 * presenter mode (then the wrap-up), meetings saved for later and the usage report. The app
 * shell renders this once.
 */
import type { PresentingRoute } from './routes';
import { PitchBuilder } from './PitchBuilder';
import { PitchList } from './PitchList';
import { PresentSession } from './PresentSession';
import { ReportScreen } from './ReportScreen';
import { MeetingList } from './MeetingList';
import { SavedMeetingWrapUp } from './SavedMeetingWrapUp';
import './presenting.css';

export interface PresentingScreensProps {
  route: { name: string } | PresentingRoute;
  open(route: PresentingRoute): void;
  replace(route: PresentingRoute): void;
  back(): void;
}

function isPresentingRoute(route: { name: string }): route is PresentingRoute {
  return (
    route.name === 'pitches' ||
    route.name === 'pitch' ||
    route.name === 'present' ||
    route.name === 'meetings' ||
    route.name === 'meeting' ||
    route.name === 'report'
  );
}

/** These screens cover the library and its search field: `/` does not open search over them. */
export function presentingHasNoSearch(route: { name: string }): boolean {
  return isPresentingRoute(route);
}

export function PresentingScreens({ route, open, replace, back }: PresentingScreensProps) {
  if (!isPresentingRoute(route)) return null;
  switch (route.name) {
    case 'pitches':
      return (
        <PitchList
          onBack={back}
          onNew={() => open({ name: 'pitch', id: null })}
          onEdit={(id) => open({ name: 'pitch', id })}
          onPresent={(id) => open({ name: 'present', id })}
        />
      );
    case 'pitch':
      return (
        <PitchBuilder
          pitchId={route.id}
          onBack={back}
          onSaved={(pitch) => {
            if (route.id !== pitch.id) replace({ name: 'pitch', id: pitch.id });
          }}
          onOpen={(id) => replace({ name: 'pitch', id })}
          onPresent={(id) => open({ name: 'present', id })}
        />
      );
    case 'present':
      return <PresentSession key={route.id} pitchId={route.id} onClose={back} />;
    case 'meetings':
      return <MeetingList onBack={back} onOpen={(id) => open({ name: 'meeting', id })} />;
    case 'meeting':
      return <SavedMeetingWrapUp key={route.id} meetingId={route.id} onClose={back} />;
    case 'report':
      return <ReportScreen onBack={back} />;
  }
}

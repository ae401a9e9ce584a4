import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { client } from './api/client';
import { App } from './app/App';
import { ClientProvider } from './data/ClientProvider';
import { ProfileSwitch } from './kiosk/ProfileSwitch';
import { AudienceScreen } from './presenting/AudienceScreen';
import { parseAudienceHash } from './presenting/routes';
import './styles/base.css';
import './library/library.css';
import './viewer/viewer.css';
import './glossary/glossary.css';
import './search/search.css';
import './sync/sync.css';
import './fleet/fleet.css';

const container = document.getElementById('root');
if (!container) throw new Error('Pitchcase: the #root element is missing from index.html');

// The audience window of a presentation shows the content only: no app around it.
const audienceSession = parseAudienceHash(location.hash);

createRoot(container).render(
  <StrictMode>
    <ClientProvider client={client}>
      {audienceSession ? <AudienceScreen sessionId={audienceSession} /> : <ProfileSwitch standard={<App />} />}
    </ClientProvider>
  </StrictMode>,
);

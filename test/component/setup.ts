import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Each test renders into a fresh document; vitest runs without globals, so RTL cannot do it.
afterEach(cleanup);

import '@mantine/core/styles.css';
import { createRoot } from 'react-dom/client';
import { configureApi } from './api/client.ts';
import { App } from './App.tsx';
import { configureIdentity } from './auth/identity.ts';
import { loadConfig } from './config.ts';

const config = await loadConfig();
configureApi(config.apiBaseUrl);
configureIdentity(config.apiBaseUrl);
createRoot(document.getElementById('root')!).render(<App />);

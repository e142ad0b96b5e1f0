import { createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ComponentType, lazy } from 'react';
import './app.css';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { ApiError } from './api/errors.ts';
import { Catalogue } from './pages/Catalogue.tsx';
import { Layout, NotFound } from './ui/Layout.tsx';
import { RequireRole } from './ui/RequireRole.tsx';

// Only the catalogue is in the first download; every other page loads when visited (organiser and
// admin pages are never downloaded by a buyer).
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) => lazy(() => load().then((m) => ({ default: m[name] })));
const EventPage = page(() => import('./pages/EventPage.tsx'), 'EventPage');
const PacketPage = page(() => import('./pages/PacketPage.tsx'), 'PacketPage');
const MyTickets = page(() => import('./pages/MyTickets.tsx'), 'MyTickets');
const ProfilePage = page(() => import('./pages/ProfilePage.tsx'), 'ProfilePage');
const SignInPage = page(() => import('./pages/SignInPage.tsx'), 'SignInPage');
const RegisterPage = page(() => import('./pages/RegisterPage.tsx'), 'RegisterPage');
const Manage = lazy(() => import('./manage/ManagePage.tsx'));
const EditEvent = lazy(() => import('./manage/EditItem.tsx').then((m) => ({ default: m.EditEvent })));
const EditPacket = lazy(() => import('./manage/EditItem.tsx').then((m) => ({ default: m.EditPacket })));
const Admin = lazy(() => import('./admin/AdminPage.tsx'));

const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'md',
});

// Mantine's dimmed grey and error red fail WCAG AA contrast on white (and on light tints): darker ones.
const contrast = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)', '--mantine-color-error': 'var(--mantine-color-red-9)' },
  dark: {},
});

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // A refusal is an answer: retry only what may be transient.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status > 0 && error.status < 500),
    },
  },
});

const organiser = ['owner-event', 'admin'] as const;

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/events" replace /> },
      { path: 'events', element: <Catalogue kind="events" /> },
      { path: 'events/:id', element: <EventPage /> },
      { path: 'packets', element: <Catalogue kind="packets" /> },
      { path: 'packets/:id', element: <PacketPage /> },
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'register', element: <RegisterPage /> },
      { path: 'tickets', element: <RequireRole roles={['client']}><MyTickets /></RequireRole> },
      { path: 'profile', element: <RequireRole roles={['client', 'owner-event', 'admin']}><ProfilePage /></RequireRole> },
      { path: 'manage', element: <RequireRole roles={organiser}><Manage /></RequireRole> },
      { path: 'manage/events/:id', element: <RequireRole roles={organiser}><EditEvent /></RequireRole> },
      { path: 'manage/packets/:id', element: <RequireRole roles={organiser}><EditPacket /></RequireRole> },
      { path: 'admin', element: <RequireRole roles={['admin']}><Admin /></RequireRole> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={contrast}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  );
}

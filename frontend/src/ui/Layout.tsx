import { Anchor, Box, Button, Container, Group, Loader, Text, Title } from '@mantine/core';
import { Suspense, useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { isBuyer, isOrganiser, roleLabel, session, useSession } from '../auth/session.ts';

/** Header with the navigation each role needs, and the page. */
export function Layout() {
  const s = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  useSessionEndRedirect();

  const links = [
    { to: '/events', label: 'Events' },
    { to: '/packets', label: 'Packets' },
    ...(isBuyer(s) ? [{ to: '/tickets', label: 'My tickets' }] : []),
    ...(isOrganiser(s) ? [{ to: '/manage', label: s?.role === 'admin' ? 'Manage (all organisers)' : 'My events & packets' }] : []),
    ...(s?.role === 'admin' ? [{ to: '/admin', label: 'Users & tickets' }] : []),
    ...(s ? [{ to: '/profile', label: 'Profile' }] : []),
  ];

  return (
    <>
      <Box component="header" bg="indigo.9" c="white" py="sm">
        <Container size="lg">
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Anchor component={Link} to="/events" c="white" underline="never">
              <Title order={2} size="h3">Tix</Title>
            </Anchor>
            <Group component="nav" aria-label="Main" gap="md" wrap="wrap">
              {links.map((l) => (
                <Anchor key={l.to} component={NavLink} to={l.to} c="white" fw={location.pathname.startsWith(l.to) ? 700 : 400}>
                  {l.label}
                </Anchor>
              ))}
            </Group>
            <Group gap="xs" wrap="wrap">
              {s ? (
                <>
                  <Text size="sm" c="white">
                    {s.email} ({roleLabel(s.role)})
                  </Text>
                  <Button size="xs" variant="white" color="indigo" onClick={() => import('../auth/identity.ts').then((m) => m.signOut()).finally(() => navigate('/events'))}>
                    Sign out
                  </Button>
                </>
              ) : (
                <>
                  <Button size="xs" variant="white" color="indigo" component={Link} to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`}>
                    Sign in
                  </Button>
                  <Button size="xs" variant="outline" color="white" c="white" component={Link} to="/register">
                    Register
                  </Button>
                </>
              )}
            </Group>
          </Group>
        </Container>
      </Box>
      <Container size="lg" component="main" py="md">
        <Suspense fallback={<Loader aria-label="Loading" />}>
          <Outlet />
        </Suspense>
      </Container>
    </>
  );
}

/** When the API refuses the session (expired, revoked), go to sign-in and come back here afterwards. */
function useSessionEndRedirect() {
  const s = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const had = useRef(s !== null);
  useEffect(() => {
    if (had.current && !s && session.endedByApi() && location.pathname !== '/sign-in') {
      navigate(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
    }
    had.current = s !== null;
  }, [s, navigate, location]);
}

export function NotFound() {
  return (
    <>
      <Title order={1}>Page not found</Title>
      <Text>
        There is nothing here. <Anchor component={Link} to="/events">Browse events</Anchor>
      </Text>
    </>
  );
}

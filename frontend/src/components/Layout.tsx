import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { canManageUsers } from '../api/roles';
import { displayName } from '../api/users';
import { MENU, type MenuItem } from '../menu';
import { useAuth } from '../services';
import { NotificationBell } from './NotificationBell';

/**
 * The navigation bar's Admin menu: a button that opens the list of admin pages. It closes on
 * navigation, on Escape (focus back on the button) and on a click elsewhere.
 */
function AdminMenu({ items }: { items: MenuItem[] }) {
  const location = useLocation();
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === location.pathname;
  const ref = useRef<HTMLLIElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const active = items.some((item) => location.pathname === item.to || location.pathname.startsWith(`${item.to}/`));

  useEffect(() => {
    if (!open) return;
    const away = (event: PointerEvent) => {
      if (ref.current && event.target instanceof Node && !ref.current.contains(event.target)) setOpenOn(null);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);

  return (
    <li
      className="nav-menu"
      ref={ref}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          setOpenOn(null);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className={active ? 'nav-menu-toggle active' : 'nav-menu-toggle'}
        aria-expanded={open}
        aria-controls="admin-menu"
        onClick={() => setOpenOn(open ? null : location.pathname)}
      >
        Admin <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul id="admin-menu" className="nav-submenu" aria-label="Admin">
          {items.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} title={item.description}>
                {item.title}
              </NavLink>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** The app shell: skip link, header with navigation and account menu, main area. */
export function Layout() {
  const { user, store } = useAuth();
  const location = useLocation();
  // The phone menu is open on the page it was opened on: navigating closes it.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === location.pathname;
  const navigate = useNavigate();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const isManager = canManageUsers(user);

  // Move focus to the new page after navigation.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo?.(0, 0);
  }, [location.pathname]);

  const logout = async () => {
    await store.logout();
    navigate('/login', { replace: true });
  };

  const items = MENU.filter((item) => item.inNav && (!item.managerOnly || isManager));
  const adminItems = MENU.filter((item) => item.admin && (!item.managerOnly || isManager));

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand" aria-label="HDS home">
            <span className="brand-mark" aria-hidden="true">
              HDS
            </span>
            <span className="brand-name">Harvester Data Store</span>
          </Link>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="primary-nav"
            onClick={() => setMenuOpenOn(menuOpen ? null : location.pathname)}
          >
            <span aria-hidden="true">☰</span>
            <span className="visually-hidden">Menu</span>
          </button>
          <nav id="primary-nav" className={menuOpen ? 'nav open' : 'nav'} aria-label="Main">
            <ul>
              <li>
                <NavLink to="/" end>
                  Home
                </NavLink>
              </li>
              {items.map((item) => (
                <li key={item.to}>
                  <NavLink
                    to={item.to}
                    className={({ isActive }) =>
                      // /users/profile/me belongs to the account link, the pareto page to its own item.
                      isActive &&
                      !(item.to === '/users' && location.pathname.startsWith('/users/profile')) &&
                      !(item.to === '/errorreports' && location.pathname.startsWith('/errorreports/view'))
                        ? 'active'
                        : undefined
                    }
                  >
                    {item.title}
                  </NavLink>
                </li>
              ))}
              {adminItems.length > 0 && <AdminMenu items={adminItems} />}
            </ul>
            <div className="account">
              <NotificationBell />
              {user && (
                <NavLink to="/users/profile/me" className="account-link" title="My profile">
                  <span className="avatar" aria-hidden="true">
                    {(user.first_name || user.username).charAt(0).toUpperCase()}
                  </span>
                  <span>
                    <span className="visually-hidden">Profile of </span>
                    {displayName(user)}
                  </span>
                </NavLink>
              )}
              <button type="button" className="button button-small button-ghost" onClick={() => void logout()}>
                Log out
              </button>
            </div>
          </nav>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        <Outlet />
      </main>
      <footer className="footer muted">
        HDS web app · <Link to="/docs">API docs</Link>
      </footer>
    </div>
  );
}

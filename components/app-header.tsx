import Link from 'next/link';
import { UserMenu } from './auth/user-menu';
import { HeaderMenu } from './header-menu';
import { NotificationBell } from './notifications/bell';
import { can } from '@/lib/domain/policy';
import type { Role } from '@/lib/domain/tags';

/**
 * The top bar: brand, where you are, and who you are. `tools`: the page fills the header's slot
 * from the client (components/reader/header-slot.tsx), so its row is there from the first frame
 * instead of pushing the page down when it hydrates.
 */
export function AppHeader({ me, crumb, children, tools = false }: { me: { id: string; name: string; email: string; role: Role }; crumb?: React.ReactNode; children?: React.ReactNode; tools?: boolean }) {
  return (
    <header className="app-header">
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">M</span>
          <span className="brand-text">Marginalia</span>
        </Link>
        {crumb && <span className="crumb-sep" aria-hidden="true">/</span>}
        {crumb}
      </nav>
      <HeaderMenu>
        {/* Pages may fill this from the client (the document page puts filters and presence here). */}
        <div className="header-slot" id="header-slot" data-tools={tools || undefined}>{children}</div>
        <NotificationBell />
        <Link href="/search" className="header-link">Search</Link>
        {can(me, 'user.manage') && (
          <Link href="/users" className="header-link">People</Link>
        )}
        <UserMenu me={me} />
      </HeaderMenu>
    </header>
  );
}

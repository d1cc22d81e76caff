'use client';

/**
 * The header's bell: the unread count, live on every page through the signed-in user's
 * notification stream (GET /api/notifications/events), and a dropdown listing the notifications
 * (who, what, the passage, when), each a link to its thread. Opening the list fetches it; following
 * one marks it read; "Mark all read" marks the rest. Escape or a click elsewhere closes it. Inside
 * the phone's Menu the list is laid out in the menu's column.
 */
import { Bell } from 'lucide-react';
import Link from 'next/link';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useDismiss } from '@/lib/client/use-dismiss';
import { RelativeTime } from '@/components/ui/relative-time';
import { api, ApiError } from '@/lib/client/api';
import type { ApiNotification, ApiNotificationPage } from '@/lib/domain/notification-api';
import { reasonText } from '@/lib/domain/notifications';

export function NotificationBell() {
  const [unread, setUnread] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<ApiNotification[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const openRef = useRef(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  const load = useCallback(async (before?: string) => {
    try {
      const page = await api<ApiNotificationPage>('GET', `/api/notifications?limit=20${before ? `&before=${encodeURIComponent(before)}` : ''}`);
      setItems((prev) => (before && prev ? [...prev, ...page.notifications] : page.notifications));
      setNext(page.next);
      setUnread(page.unread);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Could not load your notifications');
    }
  }, []);

  // The count, live: the stream says how many are unread whenever that may have changed.
  useEffect(() => {
    const source = new EventSource('/api/notifications/events');
    source.addEventListener('notifications', (e) => {
      setUnread((JSON.parse((e as MessageEvent<string>).data) as { unread: number }).unread);
      if (openRef.current) void load();
    });
    // A session that ended: stop asking (the page says so elsewhere, or the next load signs in).
    source.addEventListener('revoked', () => source.close());
    return () => source.close();
  }, [load]);

  useEffect(() => {
    openRef.current = open;
  }, [open]);
  useDismiss(open, () => setOpen(false), { inside: [box], returnFocus: button });

  const markRead = async (body: { ids: string[] } | { all: true }) => {
    const now = new Date().toISOString();
    setItems((prev) => prev?.map((n) => ('all' in body || body.ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n)) ?? prev);
    try {
      const r = await api<{ unread: number }>('POST', '/api/notifications/read', body);
      setUnread(r.unread);
    } catch {
      /* the count comes back right with the next stream event or open */
    }
  };

  const count = unread ?? 0;
  const label = unread === null ? 'Notifications' : `Notifications, ${count} unread`;
  return (
    <div className="bell" ref={box}>
      <button
        ref={button}
        type="button"
        className="btn-ghost bell-toggle"
        aria-expanded={open}
        aria-controls="notifications-panel"
        aria-label={label}
        title={label}
        onClick={() => {
          if (!open) void load();
          setOpen(!open);
        }}
      >
        <Bell size={18} aria-hidden="true" />
        {count > 0 && <span className="bell-count" aria-hidden="true" data-testid="bell-count">{count > 99 ? '99+' : count}</span>}
      </button>
      {open && (
        <div className="bell-panel" id="notifications-panel" role="region" aria-label="Notifications">
          <div className="bell-head">
            <h2 className="bell-title">Notifications</h2>
            <button type="button" className="link-btn" disabled={count === 0} onClick={() => void markRead({ all: true })}>
              Mark all read
            </button>
          </div>
          {error ? (
            <p className="form-error" role="alert">{error}</p>
          ) : !items ? (
            <p className="muted">Loading…</p>
          ) : items.length === 0 ? (
            <p className="muted">Nothing yet. You are told here when someone mentions you, replies to you, or comments in a thread you are in.</p>
          ) : (
            <ul className="bell-list">
              {items.map((n) => (
                <li key={n.id} className={n.readAt ? 'bell-item' : 'bell-item is-unread'}>
                  <Link
                    href={n.url}
                    className="bell-link"
                    onClick={() => {
                      if (!n.readAt) void markRead({ ids: [n.id] });
                      setOpen(false);
                    }}
                  >
                    <span className="bell-what">
                      {!n.readAt && <span className="sr-only">Unread: </span>}
                      <strong>{n.actor.name}</strong> {reasonText(n.reason)} on <em>{n.document.title}</em>
                    </span>
                    {n.quote && <span className="bell-quote">“{n.quote}”</span>}
                    <span className="bell-excerpt">{n.excerpt}</span>
                    <span className="bell-when"><RelativeTime iso={n.createdAt} /></span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {next && (
            <button type="button" className="link-btn" onClick={() => void load(next)}>
              Older notifications
            </button>
          )}
          <Link href="/settings" className="bell-settings" onClick={() => setOpen(false)}>Email settings</Link>
        </div>
      )}
    </div>
  );
}

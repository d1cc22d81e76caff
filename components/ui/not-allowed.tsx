import Link from 'next/link';

/** What a page shows someone whose role may not use it: why, and the way back. */
export function NotAllowed({ message, back = { href: '/', label: 'Back to the documents' } }: { message: string; back?: { href: string; label: string } }) {
  return (
    <div className="notice notice-error" role="alert">
      <span>{message} </span>
      <Link href={back.href}>{back.label}</Link>
    </div>
  );
}

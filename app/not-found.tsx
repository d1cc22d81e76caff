import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand">Marginalia</p>
        <h1>Not found</h1>
        <p>This page or document does not exist, or you may not see it.</p>
        <Link href="/">Back to the documents</Link>
      </div>
    </main>
  );
}

'use client';

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="auth-page">
      <div className="auth-card" role="alert">
        <p className="brand">Marginalia</p>
        <h1>Something went wrong</h1>
        <p>The page could not be shown. If the database is restarting, this passes in a few seconds.</p>
        <button type="button" className="btn-primary" onClick={reset}>Try again</button>
      </div>
    </main>
  );
}

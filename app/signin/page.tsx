import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { safeNext as sameSitePath } from '@/lib/domain/safe-next';
import { optionalPageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const safeNext = sameSitePath(next);
  if (await optionalPageActor()) redirect(safeNext);
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand">Marginalia</p>
        <h1>Sign in</h1>
        <SignInForm next={safeNext} />
      </div>
    </main>
  );
}

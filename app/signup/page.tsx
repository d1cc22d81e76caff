import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignUpForm } from '@/components/auth/sign-up-form';
import { optionalPageActor } from '@/lib/server/session';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Create an account' };

export default async function SignUpPage() {
  if (await optionalPageActor()) redirect('/');
  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand">Marginalia</p>
        <h1>Create an account</h1>
        <SignUpForm />
      </div>
    </main>
  );
}

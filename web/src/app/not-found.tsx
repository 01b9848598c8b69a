import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

/** The app's 404, in its own layout: Next's default one brings an inline <style> that the pages' CSP refuses. */
export default function NotFound() {
  return (
    <section className="hero">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link className="button" href="/">Go to the home page</Link>
      </p>
    </section>
  );
}

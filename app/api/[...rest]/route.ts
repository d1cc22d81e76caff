import { AppError } from '@/lib/domain/errors';
import { route } from '@/lib/server/http';

// Unknown API paths answer in the error envelope, not with the HTML 404 page.
const notFound = route(async () => {
  throw new AppError('not_found', 'No such API endpoint');
}, { auth: false });
export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };

import { z } from 'zod';

/** One rule for every staff password: new accounts, changes, resets and ADMIN_PASSWORD alike. */
export const PasswordRule = z.string().min(10, 'At least 10 characters').max(200, 'At most 200 characters');

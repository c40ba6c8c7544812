/** Fixed credentials for the test databases (never used outside tests). */
export const TEST_PASSWORD = 'Test@Passw0rd';
export const TEST_SECRET = Buffer.alloc(32, 7).toString('base64');

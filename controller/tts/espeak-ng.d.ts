declare module 'espeak-ng';

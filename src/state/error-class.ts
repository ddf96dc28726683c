// Screens read error classes through state/ (they import nothing below it).
export { errorClass, type ErrorClass } from '../kafka/producer/error-classes.js';

export { Game } from './Game';
export { Reservation } from './Reservation';
export { StaffUser } from './StaffUser';
export { ReservationEvent } from './ReservationEvent';

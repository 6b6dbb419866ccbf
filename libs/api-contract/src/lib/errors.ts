/** The one error body every API failure has. */
export interface FieldError {
  field: string;
  message: string;
}

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details: FieldError[];
  requestId: string;
}

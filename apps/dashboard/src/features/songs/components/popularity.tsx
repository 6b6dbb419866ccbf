export function Popularity({ value }: { value: number }) {
  return (
    <span className="popularity">
      <span className="popularity__bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, Math.max(0, value))}%` }} />
      </span>
      <span className="popularity__value" aria-label={`Popularity ${value} of 100`}>
        {value}
      </span>
    </span>
  );
}

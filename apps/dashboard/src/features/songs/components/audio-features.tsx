import type { AudioFeaturesDto } from '@encore/api-contract';
import type { FeatureAverages } from '../feature-averages';

interface FeatureBar {
  key: keyof AudioFeaturesDto;
  label: string;
  min: number;
  max: number;
  format: (value: number) => string;
}

const percent = (value: number) => `${Math.round(value * 100)}%`;

// Loudness and tempo are not 0–1 ratios; these ranges cover practically every track in the catalog.
export const FEATURE_BARS: readonly FeatureBar[] = [
  { key: 'danceability', label: 'Danceability', min: 0, max: 1, format: percent },
  { key: 'energy', label: 'Energy', min: 0, max: 1, format: percent },
  { key: 'valence', label: 'Valence', min: 0, max: 1, format: percent },
  { key: 'acousticness', label: 'Acousticness', min: 0, max: 1, format: percent },
  { key: 'instrumentalness', label: 'Instrumentalness', min: 0, max: 1, format: percent },
  { key: 'speechiness', label: 'Speechiness', min: 0, max: 1, format: percent },
  { key: 'liveness', label: 'Liveness', min: 0, max: 1, format: percent },
  { key: 'loudness', label: 'Loudness', min: -60, max: 0, format: (v) => `${v.toFixed(1)} dB` },
  { key: 'tempo', label: 'Tempo', min: 0, max: 220, format: (v) => `${Math.round(v)} BPM` },
];

const fraction = (value: number, min: number, max: number) => Math.min(1, Math.max(0, (value - min) / (max - min)));

export interface AudioFeaturesProps {
  features: AudioFeaturesDto;
  /** Catalog averages, drawn as a tick on each bar; left out while they load or when they are unknown. */
  average?: FeatureAverages | null;
}

export function AudioFeatures({ features, average }: AudioFeaturesProps) {
  return (
    <>
      <ul className="feature-bars" aria-label="Audio features">
        {FEATURE_BARS.map(({ key, label, min, max, format }) => {
          const value = features[key];
          const text = format(value);
          const mean = average?.[key];
          return (
            <li key={key} className="feature-bar">
              <span className="feature-bar__label" id={`feature-${key}`}>
                {label}
              </span>
              <span
                className="feature-bar__track"
                role="meter"
                aria-labelledby={`feature-${key}`}
                aria-valuemin={min}
                aria-valuemax={max}
                aria-valuenow={value}
                aria-valuetext={text}
              >
                <span
                  className="feature-bar__fill"
                  style={{ width: `${(fraction(value, min, max) * 100).toFixed(1)}%` }}
                />
                {mean !== undefined ? (
                  <span
                    className="feature-bar__average"
                    style={{ left: `${(fraction(mean, min, max) * 100).toFixed(1)}%` }}
                    title={`Catalog average ${format(mean)}`}
                  />
                ) : null}
              </span>
              <span className="feature-bar__value">
                {text}
                {mean !== undefined ? <span className="visually-hidden">, catalog average {format(mean)}</span> : null}
              </span>
            </li>
          );
        })}
      </ul>
      {average ? (
        <p className="feature-legend">
          <span className="feature-legend__tick" aria-hidden="true" /> Catalog average, estimated from{' '}
          {average.sampleSize.toLocaleString('en-US')} songs
        </p>
      ) : null}
    </>
  );
}

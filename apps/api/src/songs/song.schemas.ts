import { ApiProperty } from '@nestjs/swagger';
import type { AudioFeaturesDto, GenreDto, Page, SongDto } from '@encore/api-contract';

// OpenAPI descriptions of the @encore/api-contract wire types (which are interfaces, invisible to Swagger).

export class AudioFeaturesSchema implements AudioFeaturesDto {
  @ApiProperty({ minimum: 0, maximum: 1 }) danceability!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) energy!: number;
  @ApiProperty({ description: 'Pitch class, 0 = C … 11 = B, -1 = unknown' }) key!: number;
  @ApiProperty({ description: 'dB' }) loudness!: number;
  @ApiProperty({ description: '1 = major, 0 = minor' }) mode!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) speechiness!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) acousticness!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) instrumentalness!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) liveness!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) valence!: number;
  @ApiProperty({ description: 'Beats per minute' }) tempo!: number;
  @ApiProperty({ description: 'Beats per bar' }) timeSignature!: number;
}

export class SongSchema implements SongDto {
  @ApiProperty({ example: '5SuOikwiRyPMVoIQDJUgSV' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) artists!: string[];
  @ApiProperty() album!: string;
  @ApiProperty({ type: [String] }) genres!: string[];
  @ApiProperty({ minimum: 0, maximum: 100 }) popularity!: number;
  @ApiProperty() durationMs!: number;
  @ApiProperty() explicit!: boolean;
  @ApiProperty({ type: AudioFeaturesSchema }) features!: AudioFeaturesSchema;
}

export class SongPageSchema implements Page<SongDto> {
  @ApiProperty({ type: [SongSchema] }) items!: SongSchema[];
  @ApiProperty({ description: 'Songs matching the filters, over all pages' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
}

export class GenreSchema implements GenreDto {
  @ApiProperty({ example: 'acoustic' }) name!: string;
  @ApiProperty({ description: 'Songs tagged with this genre' }) songs!: number;
}

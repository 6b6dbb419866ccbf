import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module';
import { GenresController, SongsController } from './songs.controller';
import { SongsService } from './songs.service';

@Module({
  imports: [CatalogModule],
  controllers: [SongsController, GenresController],
  providers: [SongsService],
})
export class SongsModule {}

import { Module } from '@nestjs/common';
import { CatalogLoader, CsvFileCatalogLoader } from './catalog-loader';
import { CatalogService } from './catalog.service';

@Module({
  providers: [CatalogService, { provide: CatalogLoader, useClass: CsvFileCatalogLoader }],
  exports: [CatalogService],
})
export class CatalogModule {}
